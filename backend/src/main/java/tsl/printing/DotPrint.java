package tsl.printing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tsl.compile.Function;
import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.FunctionGraph;
import tsl.graph.SharedVariable;
import tsl.graph.TslException;
import tsl.graph.Variable;

/**
 * Theano's {@code pydotprint}: the graph in Graphviz DOT — ops as boxes, inputs as green
 * ellipses, shared variables as cyan, constants as grey, outputs blue, edges labelled with
 * the input position and type. An outfile ending in .png/.svg/.pdf is rendered with the
 * {@code dot} program when it is installed; anything else gets the DOT text.
 */
public final class DotPrint {
    private DotPrint() {}

    public static String dot(FunctionGraph g) {
        return dot(g.outputs(), g.toposort());
    }

    public static String dot(List<Variable> outputs, List<Apply> topo) {
        Map<Object, String> ids = new IdentityHashMap<>();
        StringBuilder sb = new StringBuilder("digraph G {\n  graph [bgcolor=white];\n");
        for (Apply a : topo) {
            String id = ids.computeIfAbsent(a, k -> "n" + ids.size());
            sb.append("  ").append(id).append(" [label=\"").append(esc(OpNames.op(a))).append("\", shape=box];\n");
            for (int i = 0; i < a.inputs().size(); i++) {
                Variable in = a.input(i);
                String src = in.owner() != null ? ids.get(in.owner()) : leaf(in, ids, sb);
                sb.append("  ").append(src).append(" -> ").append(id).append(" [label=\"").append(i).append(' ')
                        .append(esc(OpNames.type(in.type()))).append("\"];\n");
            }
        }
        for (int i = 0; i < outputs.size(); i++) {
            Variable o = outputs.get(i);
            String oid = "out" + i;
            sb.append("  ").append(oid).append(" [label=\"").append(esc(o.name() != null ? o.name() : OpNames.type(o.type())))
                    .append("\", style=filled, fillcolor=dodgerblue, shape=ellipse];\n");
            String src = o.owner() != null ? ids.get(o.owner()) : leaf(o, ids, sb);
            sb.append("  ").append(src).append(" -> ").append(oid).append(";\n");
        }
        return sb.append("}\n").toString();
    }

    private static String leaf(Variable v, Map<Object, String> ids, StringBuilder sb) {
        String existing = ids.get(v);
        if (existing != null) {
            return existing;
        }
        String id = "v" + ids.size();
        ids.put(v, id);
        String color = v instanceof Constant ? "lightgrey" : v instanceof SharedVariable ? "cyan" : "limegreen";
        sb.append("  ").append(id).append(" [label=\"").append(esc(OpNames.leaf(v))).append("\", style=filled, fillcolor=")
                .append(color).append(", shape=ellipse];\n");
        return id;
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Writes the graph of {@code f} to {@code outfile}; returns the path written. */
    public static Path write(Function f, String outfile, String format) {
        if (f.graph() == null) {
            throw TslException.valueError("this function has no graph to print");
        }
        return write(dot(f.graph()), outfile, format);
    }

    public static Path write(String dotText, String outfile, String format) {
        Path out = Path.of(outfile);
        String fmt = format != null ? format : extension(outfile);
        try {
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            if (fmt.equals("dot") || fmt.equals("gv") || fmt.isEmpty()) {
                Files.writeString(out, dotText, StandardCharsets.UTF_8);
                return out;
            }
            Process p;
            try {
                p = new ProcessBuilder("dot", "-T" + fmt, "-o", out.toString()).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw TslException.notSupported("pydotprint to " + fmt + " needs Graphviz's dot program, which is not installed;"
                        + " use format='dot' or an outfile ending in .dot");
            }
            p.getOutputStream().write(dotText.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw TslException.valueError("dot failed to render " + outfile + ": " + msg.trim());
            }
            return out;
        } catch (IOException e) {
            throw new TslException("OSError", "cannot write " + outfile + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TslException("OSError", "interrupted while rendering " + outfile);
        }
    }

    private static String extension(String f) {
        int dot = f.lastIndexOf('.');
        int slash = f.lastIndexOf('/');
        return dot > slash ? f.substring(dot + 1).toLowerCase(java.util.Locale.ROOT) : "";
    }
}
