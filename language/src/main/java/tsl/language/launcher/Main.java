package tsl.language.launcher;

import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;

/**
 * The {@code tsl} command: runs a script file, {@code -c CODE} or standard input. Exit
 * status 0 on success, 1 when the script fails (the error printed as file:line:col), 2 for
 * a usage error.
 */
public final class Main {
    private Main() {}

    static final String USAGE = """
            usage: tsl [--flags K=V,...] FILE [ARGS...]
                   tsl -c CODE
                   tsl -            (read the program from standard input)
                   tsl --version | --help
                   tsl --cache-clear   (remove the compiled native kernels)
            """;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        int i = 0;
        while (i < args.length && args[i].startsWith("--")) {
            switch (args[i]) {
                case "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--version" -> {
                    out.println("TSL 0.1.0");
                    return 0;
                }
                case "--cache-clear" -> {
                    tsl.linker.c.KernelCache cache = tsl.linker.c.KernelCache.standard();
                    cache.clear();
                    out.println("tsl: cleared " + cache.directory());
                    return 0;
                }
                case "--flags" -> {
                    if (i + 1 >= args.length) {
                        err.print(USAGE);
                        return 2;
                    }
                    try {
                        tsl.compile.Config.apply(args[++i]);
                    } catch (tsl.graph.TslException e) {
                        err.println("tsl: " + e.getMessage());
                        return 2;
                    }
                }
                default -> {
                    err.println("tsl: unknown option " + args[i]);
                    err.print(USAGE);
                    return 2;
                }
            }
            i++;
        }
        if (i >= args.length) {
            err.println("tsl: the interactive prompt is not available yet; give a FILE, -c CODE or -");
            err.print(USAGE);
            return 2;
        }
        Source source;
        try {
            if (args[i].equals("-c")) {
                if (i + 1 >= args.length) {
                    err.print(USAGE);
                    return 2;
                }
                source = Source.newBuilder("tsl", args[i + 1], "<string>").build();
            } else if (args[i].equals("-")) {
                source = Source.newBuilder("tsl", new InputStreamReader(System.in, StandardCharsets.UTF_8), "<stdin>").build();
            } else {
                File f = new File(args[i]);
                if (!f.isFile()) {
                    err.println("tsl: can't open file '" + args[i] + "': No such file or directory");
                    return 2;
                }
                source = Source.newBuilder("tsl", f).name(args[i]).build();
            }
        } catch (IOException e) {
            err.println("tsl: " + e.getMessage());
            return 2;
        }
        try (Context ctx = Context.newBuilder("tsl").out(out).err(err).allowIO(org.graalvm.polyglot.io.IOAccess.ALL).build()) {
            try {
                ctx.eval(source);
                return 0;
            } catch (PolyglotException e) {
                out.flush();
                if (e.isExit()) {
                    return e.getExitStatus();
                }
                if (e.isInternalError() || e.isHostException()) {
                    err.println("tsl: internal error: " + e.getMessage());
                    return 1;
                }
                err.println(e.getMessage());
                return 1;
            }
        }
    }
}
