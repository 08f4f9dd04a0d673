package tsl.language.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;

/** Where the prompt's lines come from: a terminal with line editing, or a plain stream. */
interface LineSource extends AutoCloseable {
    /** The next line without its newline; null at end of input (Ctrl-D). */
    String readLine(String prompt) throws Interrupted, IOException;

    @Override
    default void close() throws IOException {}

    /** What Ctrl-C does while a statement runs (a terminal only; piped input has no Ctrl-C). */
    default void onInterrupt(Runnable action) {}

    /** Ctrl-C while a line was being typed: the line (and any unfinished block) is dropped. */
    final class Interrupted extends Exception {
        Interrupted() {
            super(null, null, false, false);
        }
    }

    /** Piped input: no editing; prompts go to stderr, as Python's do, so stdout holds only results. */
    static LineSource plain(BufferedReader in, PrintStream prompts) {
        return prompt -> {
            prompts.print(prompt);
            prompts.flush();
            return in.readLine();
        };
    }
}
