package tsl.linker.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOp;
import tsl.ops.elemwise.ScalarOps;
import tsl.ops.reduce.Reduce;
import tsl.tensor.DType;

/**
 * The generated CUDA C compiles to PTX with nvcc for every scalar op over the dtypes it
 * accepts, every reduction kind, softmax and the product kernel. Needs nvcc (not a GPU);
 * skipped where nvcc is absent.
 */
class CudaCodegenTest {
    private static final DType[] DTYPES = {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64, DType.BOOL, DType.UINT8};

    @TempDir
    Path tmp;

    /** Every generated source, each with its own prelude, as one translation unit per op family. */
    private void compileAll(List<String> sources, String label) throws Exception {
        String nvcc = PtxCompiler.findNvcc();
        assumeTrue(nvcc != null, "nvcc not found");
        StringBuilder unit = new StringBuilder(CudaC.PRELUDE);
        int k = 0;
        for (String s : sources) {
            String body = s.startsWith(CudaC.PRELUDE) ? s.substring(CudaC.PRELUDE.length()) : s;
            // one unit: give each kernel and typedef a unique name
            body = body.replace("tsl_elemwise(", "tsl_elemwise_" + k + "(")
                    .replace("tsl_reduce(", "tsl_reduce_" + k + "(")
                    .replace("tsl_reduce_finish(", "tsl_reduce_finish_" + k + "(")
                    .replace("tsl_softmax(", "tsl_softmax_" + k + "(")
                    .replace("tsl_gemm(", "tsl_gemm_" + k + "(")
                    .replace("tsl_acc", "tsl_acc_" + k)
                    .replace(" T;", " T" + k + ";").replaceAll("\\bT\\b", "T" + k)
                    .replace("#define BM", "#undef BM\n#undef BN\n#undef BK\n#define BM");
            unit.append("namespace n").append(k).append(" {\n").append(body).append("}\n");
            k++;
        }
        Path cu = tmp.resolve(label + ".cu");
        Files.writeString(cu, unit.toString());
        Process p = new ProcessBuilder(nvcc, "-ptx", "-arch=compute_90", "-o", tmp.resolve(label + ".ptx").toString(), cu.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), () -> "nvcc failed:\n" + log);
        String ptx = Files.readString(tmp.resolve(label + ".ptx"));
        assertTrue(ptx.contains(".entry"), "no kernel in the PTX");
    }

    @Test
    void everyScalarOpCompilesForEveryDtypeItAccepts() throws Exception {
        List<String> sources = new ArrayList<>();
        for (ScalarOp op : ScalarOps.all().values()) {
            for (DType d : DTYPES) {
                List<Variable> in = new ArrayList<>();
                for (int i = 0; i < op.nin(); i++) {
                    in.add(new Variable(TensorType.ofNdim(i == 0 && op.equals(ScalarOps.SWITCH) ? DType.BOOL : d, 2), "x" + i));
                }
                Elemwise e = new Elemwise(op);
                DType out;
                try {
                    out = e.makeNode(in).output().dtype();
                } catch (TslException notForThisDtype) {
                    continue;
                }
                DType[] dt = in.stream().map(Variable::dtype).toArray(DType[]::new);
                ElemwiseKernel.Access[] acc = new ElemwiseKernel.Access[dt.length];
                for (int i = 0; i < acc.length; i++) {
                    acc[i] = ElemwiseKernel.Access.values()[(i + sources.size()) % 3];
                }
                sources.add(ElemwiseKernel.source(e, dt, out, 2, acc));
            }
        }
        assertTrue(sources.size() > 100, "expected a kernel per op and dtype, got " + sources.size());
        compileAll(sources, "elemwise");
    }

    @Test
    void fusedCompositesCompileWithoutGnuStatementExpressions() throws Exception {
        // NVRTC rejects ({ ... }); a composite of composites checks the innermost-first rewrite
        ScalarOp inner = tsl.ops.elemwise.Composite.of(2, List.of(
                new tsl.ops.elemwise.Composite.Step(ScalarOps.MUL, new int[] {0, 1}, new DType[] {DType.FLOAT32, DType.FLOAT32}, DType.FLOAT32),
                new tsl.ops.elemwise.Composite.Step(ScalarOps.GT, new int[] {2, 0}, new DType[] {DType.FLOAT32, DType.FLOAT32}, DType.BOOL),
                new tsl.ops.elemwise.Composite.Step(ScalarOps.SWITCH, new int[] {3, 2, 1},
                        new DType[] {DType.BOOL, DType.FLOAT32, DType.FLOAT32}, DType.FLOAT32)));
        ScalarOp outer = tsl.ops.elemwise.Composite.of(2, List.of(
                new tsl.ops.elemwise.Composite.Step(inner, new int[] {0, 1}, new DType[] {DType.FLOAT32, DType.FLOAT32}, DType.FLOAT32),
                new tsl.ops.elemwise.Composite.Step(ScalarOps.TANH, new int[] {2}, new DType[] {DType.FLOAT32}, DType.FLOAT32)));
        List<String> sources = new ArrayList<>();
        for (ScalarOp op : new ScalarOp[] {inner, outer}) {
            String src = ElemwiseKernel.source(new Elemwise(op), new DType[] {DType.FLOAT32, DType.FLOAT32}, DType.FLOAT32, 1,
                    new ElemwiseKernel.Access[] {ElemwiseKernel.Access.FULL, ElemwiseKernel.Access.SCALAR});
            assertFalse(src.contains("({"), src);
            sources.add(src);
        }
        compileAll(sources, "composites");
    }

    @Test
    void castsCompile() throws Exception {
        List<String> sources = new ArrayList<>();
        for (DType from : DTYPES) {
            for (DType to : DTYPES) {
                Elemwise cast = new Elemwise(ScalarOps.IDENTITY, to);
                sources.add(ElemwiseKernel.source(cast, new DType[] {from}, to, 1, new ElemwiseKernel.Access[] {ElemwiseKernel.Access.FULL}));
            }
        }
        compileAll(sources, "casts");
    }

    @Test
    void reductionsSoftmaxAndGemmCompile() throws Exception {
        List<String> sources = new ArrayList<>();
        for (Reduce.Kind kind : Reduce.Kind.values()) {
            for (DType d : DTYPES) {
                DType out = new Reduce(kind, null).outputDtype(d);
                sources.add(ReduceKernel.source(kind, d, out, 1, 1));
                sources.add(ReduceKernel.source(kind, d, out, 0, 2));
            }
        }
        for (boolean log : new boolean[] {false, true}) {
            sources.add(SoftmaxKernel.source(DType.FLOAT32, log));
            sources.add(SoftmaxKernel.source(DType.FLOAT64, log));
        }
        sources.add(GemmKernel.source(DType.FLOAT32));
        sources.add(GemmKernel.source(DType.FLOAT64));
        compileAll(sources, "reduce");
    }

    @Test
    void stridedInputsDecomposeTheIndexOverTheOutputDimensions() {
        Elemwise add = new Elemwise(ScalarOps.ADD);
        String s = ElemwiseKernel.source(add, new DType[] {DType.FLOAT32, DType.FLOAT32}, DType.FLOAT32, 2,
                new ElemwiseKernel.Access[] {ElemwiseKernel.Access.FULL, ElemwiseKernel.Access.STRIDED});
        assertTrue(s.contains("o1 += c * s1_1;"), s);
        assertTrue(s.contains("float a0 = (float) in0[i];"), s);
        assertTrue(s.contains("out[i] = ((float) ((a0 + a1)));"), s);
        String contiguous = ElemwiseKernel.source(add, new DType[] {DType.FLOAT32, DType.FLOAT32}, DType.FLOAT32, 2,
                new ElemwiseKernel.Access[] {ElemwiseKernel.Access.FULL, ElemwiseKernel.Access.SCALAR});
        assertTrue(!contiguous.substring(CudaC.PRELUDE.length()).contains("%"), "no index arithmetic when no input is strided:\n" + contiguous);
    }

    @Test
    void integerDivisionComputesInIntegersAndTrueDivisionInFloat() {
        assertEquals(DType.INT64, ElemwiseKernel.computeType(ScalarOps.INT_DIV, DType.INT32, new DType[] {DType.INT32, DType.INT32}));
        assertEquals(DType.FLOAT64, ElemwiseKernel.computeType(ScalarOps.TRUE_DIV, DType.FLOAT64, new DType[] {DType.INT32, DType.INT32}));
        assertEquals(DType.FLOAT32, ElemwiseKernel.computeType(ScalarOps.LT, DType.BOOL, new DType[] {DType.FLOAT32, DType.FLOAT32}));
    }
}
