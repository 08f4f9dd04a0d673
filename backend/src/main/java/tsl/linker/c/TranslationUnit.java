package tsl.linker.c;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Variable;

/** The C source of one compiled function: the prelude and one entry function per segment. */
final class TranslationUnit {
    final String source;
    final boolean usesBlas;
    final boolean usesThreads;

    private TranslationUnit(String source, boolean usesBlas, boolean usesThreads) {
        this.source = source;
        this.usesBlas = usesBlas;
        this.usesThreads = usesThreads;
    }

    static TranslationUnit of(List<Segment> segments) {
        boolean blas = false;
        StringBuilder body = new StringBuilder();
        for (Segment s : segments) {
            body.append("\nint ").append(s.functionName())
                    .append("(tsl_arr* T, void** bufs, int64_t* caps, char* err) {\n");
            body.append("    int rc = 0;\n");
            for (Variable v : s.fresh()) {
                body.append("    T[").append(s.slot(v)).append("].data = NULL; T[").append(s.slot(v)).append("].owner = -1;\n");
            }
            for (int i = 0; i < s.nodes.size(); i++) {
                Apply a = s.nodes.get(i);
                NodeEmitter em = Emitters.of(a);
                blas |= em.usesBlas(a);
                body.append("    /* ").append(a.op().toString().replace("*/", "* /")).append(" */\n");
                em.emit(a, new Emit(body, s, i));
            }
            body.append("    return 0;\n");
            body.append("fail:\n");
            body.append("    (void) bufs; (void) caps;\n");
            for (Variable v : s.fresh()) {
                int k = s.slot(v);
                body.append("    if (T[").append(k).append("].owner == ").append(k).append(") free(T[").append(k)
                        .append("].data);\n");
            }
            body.append("    return rc;\n}\n");
        }
        String src = Prelude.text() + (blas ? DotEmitter.BLAS_HELPERS : "") + ConvCode.helpersFor(body)
                + (body.indexOf("tsl_normal_fill_") >= 0 ? tsl.ops.random.NormalTransform.C_CODE : "") + body;
        return new TranslationUnit(src, blas, src.contains("omp parallel"));
    }
}
