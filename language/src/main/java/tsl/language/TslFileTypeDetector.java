package tsl.language;

import java.io.IOException;
import java.nio.charset.Charset;

import com.oracle.truffle.api.TruffleFile;

/** Recognises {@code .tsl} files as TSL sources. */
public final class TslFileTypeDetector implements TruffleFile.FileTypeDetector {
    @Override
    public String findMimeType(TruffleFile file) throws IOException {
        String name = file.getName();
        return name != null && name.endsWith(".tsl") ? TslLanguage.MIME : null;
    }

    @Override
    public Charset findEncoding(TruffleFile file) throws IOException {
        return null;
    }
}
