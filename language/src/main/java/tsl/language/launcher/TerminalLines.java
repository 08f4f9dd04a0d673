package tsl.language.launcher;

import java.io.IOException;
import java.nio.file.Path;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** Lines from a terminal through JLine: editing, and history kept in ~/.tsl_history. */
final class TerminalLines implements LineSource {
    private final Terminal terminal;
    private final LineReader reader;

    TerminalLines() throws IOException {
        terminal = TerminalBuilder.builder().system(true).build();
        DefaultParser parser = new DefaultParser();
        parser.setEscapeChars(new char[0]);        // backslashes are the script's, not the editor's
        reader = LineReaderBuilder.builder()
                .appName("tsl")
                .terminal(terminal)
                .parser(parser)
                .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".tsl_history"))
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)   // '!' is an operator, not history
                .option(LineReader.Option.INSERT_TAB, true)                // Tab indents a block
                .build();
    }

    @Override
    public String readLine(String prompt) throws Interrupted {
        try {
            return reader.readLine(prompt);
        } catch (UserInterruptException e) {
            throw new Interrupted();
        } catch (EndOfFileException e) {
            return null;
        }
    }

    @Override
    public void onInterrupt(Runnable action) {
        terminal.handle(Terminal.Signal.INT, signal -> action.run());
    }

    @Override
    public void close() throws IOException {
        reader.getHistory().save();
        terminal.close();
    }
}
