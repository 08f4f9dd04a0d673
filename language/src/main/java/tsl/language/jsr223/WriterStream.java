package tsl.language.jsr223;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Bytes from a polyglot context to whichever Writer the current ScriptContext names. Bytes are
 * held until a flush (the context flushes after each print(flush=True) and at the end of every
 * evaluation) so that a character split across writes is decoded whole.
 */
final class WriterStream extends OutputStream {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private Writer target;

    synchronized void target(Writer w) {
        target = w;
    }

    @Override
    public synchronized void write(int b) {
        pending.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        pending.write(b, off, len);
    }

    @Override
    public synchronized void flush() throws IOException {
        if (pending.size() == 0 || target == null) {
            pending.reset();
            return;
        }
        target.write(pending.toString(StandardCharsets.UTF_8));
        pending.reset();
        target.flush();
    }
}
