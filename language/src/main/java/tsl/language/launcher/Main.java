package tsl.language.launcher;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The {@code tsl} command: runs a script file, {@code -c CODE} or standard input, or starts
 * the interactive prompt. {@code sys.argv} is Python's: the script name (or '-c', '-') then
 * the remaining arguments. Exit status 0 on success, 1 when the script fails (the error
 * printed as file:line:col), 2 for a usage error; {@code sys.exit(n)} exits with n.
 */
public final class Main {
    private Main() {}

    static final String USAGE = """
            usage: tsl [--flags K=V,...] [-i] FILE [ARGS...]
                   tsl [--flags K=V,...] -c CODE [ARGS...]
                   tsl [--flags K=V,...] -  [ARGS...]   (read the program from standard input)
                   tsl [--flags K=V,...] [-i]           (the interactive prompt; with piped input
                                                         and no -i, standard input is the program)
                   tsl --version | --help
                   tsl --cache-clear   (remove the compiled native kernels)
                   tsl --graph [--graph-dir DIR] FILE   (also write the picture of every compiled
                                                         function: DOT, and SVG/PNG with Graphviz)
            """;

    public static void main(String[] args) {
        JitPriority.takeOwnProcess();
        JitPriority.lower();
        System.exit(run(args, System.in, System.out, System.err, isTerminal()));
    }

    private static boolean isTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
        String flags = "";
        boolean interactive = false;
        String graphDir = null; // --graph: "" for the default folder
        int i = 0;
        for (; i < args.length && args[i].startsWith("-") && !args[i].equals("-") && !args[i].equals("-c"); i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--version", "-V" -> {
                    out.println("TSL " + tsl.language.TslLanguage.VERSION);
                    return 0;
                }
                case "-i" -> interactive = true;
                case "--cache-clear" -> {
                    tsl.linker.c.KernelCache cache = tsl.linker.c.KernelCache.standard();
                    cache.clear();
                    out.println("tsl: cleared " + cache.directory());
                    return 0;
                }
                case "--graph" -> graphDir = graphDir != null ? graphDir : "";
                case "--graph-dir" -> {
                    if (i + 1 >= args.length) {
                        err.print(USAGE);
                        return 2;
                    }
                    graphDir = args[++i];
                }
                case "--flags" -> {
                    if (i + 1 >= args.length) {
                        err.print(USAGE);
                        return 2;
                    }
                    flags = flags.isEmpty() ? args[++i] : flags + "," + args[++i];
                    try {
                        tsl.compile.Config.apply(args[i]);
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
        }
        if (graphDir != null) {
            java.nio.file.Path dir = java.nio.file.Path.of(!graphDir.isEmpty() ? graphDir : graphFolderFor(args, i));
            try {
                tsl.printing.GraphDump.prepare(dir);
            } catch (tsl.graph.TslException e) {
                err.println("tsl: " + e.getMessage());
                return 2;
            }
        }
        List<String> argv = new ArrayList<>();
        Source source = null;
        try {
            if (i >= args.length) {
                if (!interactive && !terminal) {
                    source = Source.newBuilder("tsl", new InputStreamReader(in, StandardCharsets.UTF_8), "<stdin>").build();
                }
                argv.add(i >= args.length ? "" : "-");
            } else if (args[i].equals("-c")) {
                if (i + 1 >= args.length) {
                    err.println("tsl: argument expected for the -c option");
                    err.print(USAGE);
                    return 2;
                }
                source = Source.newBuilder("tsl", args[i + 1], "<string>").build();
                argv.add("-c");
                argv.addAll(Arrays.asList(args).subList(i + 2, args.length));
            } else if (args[i].equals("-")) {
                source = Source.newBuilder("tsl", new InputStreamReader(in, StandardCharsets.UTF_8), "<stdin>").build();
                argv.addAll(Arrays.asList(args).subList(i, args.length));
            } else {
                File f = new File(args[i]);
                if (!f.isFile()) {
                    err.println("tsl: can't open file '" + args[i] + "': No such file or directory");
                    return 2;
                }
                source = Source.newBuilder("tsl", f).name(args[i]).build();
                argv.addAll(Arrays.asList(args).subList(i, args.length));
            }
        } catch (IOException e) {
            err.println("tsl: " + e.getMessage());
            return 2;
        }
        // the launcher is the user's own program: it may read files (imports from the script's folder)
        try (Context ctx = Context.newBuilder("tsl").in(in).out(out).err(err)
                .allowIO(IOAccess.ALL)
                .option("engine.WarnInterpreterOnly", "false")     // java -jar tsl.jar runs without the Graal compiler
                .option("tsl.Flags", flags)
                .arguments("tsl", argv.toArray(new String[0]))
                .build()) {
            int status = source == null ? 0 : runSource(ctx, source, out, err);
            if (graphDir != null) {
                err.println("tsl: wrote " + tsl.printing.GraphDump.written().size() + " graph file(s) to "
                        + tsl.printing.GraphDump.directory());
            }
            if (source == null || (interactive && status == 0)) {
                status = prompt(ctx, in, out, err, terminal);
            }
            return status;
        }
    }

    private static int runSource(Context ctx, Source source, PrintStream out, PrintStream err) {
        try {
            // parsed first, so that Truffle's compiler thread (started with the first call target)
            // can be given its priority before the script runs
            org.graalvm.polyglot.Value program = ctx.parse(source);
            JitPriority.lower();
            program.execute();
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

    private static int prompt(Context ctx, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
        try (LineSource lines = terminal ? new TerminalLines()
                : LineSource.plain(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), err)) {
            if (terminal) {
                out.println("TSL " + tsl.language.TslLanguage.VERSION + " (Theano for the JVM). Ctrl-D exits.");
            }
            return new Repl(ctx, lines, out, err).run();
        } catch (IOException e) {
            err.println("tsl: " + e.getMessage());
            return 1;
        }
    }

    /** The default folder of {@code tsl --graph FILE}: {@code FILE-graphs} (without .tsl) in the current directory. */
    private static String graphFolderFor(String[] args, int i) {
        if (i >= args.length || args[i].equals("-") || args[i].equals("-c")) {
            return "tsl-graphs";
        }
        String name = new File(args[i]).getName();
        return (name.endsWith(".tsl") ? name.substring(0, name.length() - 4) : name) + "-graphs";
    }
}
