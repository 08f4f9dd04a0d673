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
    private String compileAll(List<String> sources, String label) throws Exception {
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
        return ptx;
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
        assertTrue(s.contains("out0[i] = ((float) ((a0 + a1)));"), s);
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

    private static final ElemwiseKernel.Access F = ElemwiseKernel.Access.FULL;
    private static final ElemwiseKernel.Access S = ElemwiseKernel.Access.SCALAR;
    private static final ElemwiseKernel.Access X = ElemwiseKernel.Access.STRIDED;

    private static String vectorSource(ScalarOp op, DType[] in, DType out, ElemwiseKernel.Access[] acc) {
        ElemwiseKernel.Code code = new ElemwiseKernel.ElemwiseCode(new Elemwise(op), in, out);
        int vec = ElemwiseKernel.vectorWidth(in, acc, new DType[] {out});
        return ElemwiseKernel.source(code, in, 1, acc, ElemwiseKernel.Variant.VECTOR, vec);
    }

    @Test
    void vectorKernelsLoadAndStoreSixteenBytesAtATime() throws Exception {
        String add = vectorSource(ScalarOps.ADD, new DType[] {DType.FLOAT32, DType.FLOAT32}, DType.FLOAT32, new ElemwiseKernel.Access[] {F, F});
        assertTrue(add.contains("tsl_vec<float, 4>"), add);
        assertTrue(add.contains("for (long long i = nv * 4 + tid; i < n; i += step)"), "a tail loop for n % 4:\n" + add);
        String ptx = compileAll(List.of(add), "vector-add");
        assertTrue(ptx.matches("(?s).*ld\\.global(\\.nc)?\\.v4\\.f32.*"), "float4 loads expected:\n" + ptx);
        assertTrue(ptx.matches("(?s).*st\\.global\\.v4\\.f32.*"), "float4 stores expected:\n" + ptx);
        String dadd = vectorSource(ScalarOps.MUL, new DType[] {DType.FLOAT64, DType.FLOAT64}, DType.FLOAT64, new ElemwiseKernel.Access[] {F, S});
        String dptx = compileAll(List.of(dadd), "vector-mul-f64");
        assertTrue(dptx.matches("(?s).*ld\\.global(\\.nc)?\\.v2\\.f64.*"), "double2 loads expected:\n" + dptx);
    }

    @Test
    void vectorKernelsCompileForEveryScalarOpAndDtype() throws Exception {
        List<String> sources = new ArrayList<>();
        for (ScalarOp op : ScalarOps.all().values()) {
            for (DType d : DTYPES) {
                List<Variable> in = new ArrayList<>();
                for (int i = 0; i < op.nin(); i++) {
                    in.add(new Variable(TensorType.ofNdim(i == 0 && op.equals(ScalarOps.SWITCH) ? DType.BOOL : d, 1), "x" + i));
                }
                DType out;
                try {
                    out = new Elemwise(op).makeNode(in).output().dtype();
                } catch (TslException notForThisDtype) {
                    continue;
                }
                DType[] dt = in.stream().map(Variable::dtype).toArray(DType[]::new);
                ElemwiseKernel.Access[] acc = new ElemwiseKernel.Access[dt.length];
                for (int i = 0; i < acc.length; i++) {
                    acc[i] = (i + sources.size()) % 2 == 0 ? F : S;
                }
                sources.add(vectorSource(op, dt, out, acc));
            }
        }
        compileAll(sources, "vector-all");
    }

    @Test
    void theLauncherVectorizesOnlyAlignedContiguousArrays() {
        DType[] f32 = {DType.FLOAT32, DType.FLOAT32};
        DType[] out32 = {DType.FLOAT32};
        long[] aligned = {1 << 20, 2 << 20};
        long[] out = {3 << 20};
        assertEquals("vector4", ElemwiseLauncher.choose(f32, new ElemwiseKernel.Access[] {F, F}, aligned, out32, out, 1001).toString());
        assertEquals("vector4", ElemwiseLauncher.choose(f32, new ElemwiseKernel.Access[] {F, S}, new long[] {1 << 20, 7}, out32, out, 1001).toString(),
                "a scalar input is read once: its alignment does not matter");
        assertEquals("contiguous", ElemwiseLauncher.choose(f32, new ElemwiseKernel.Access[] {F, F}, new long[] {(1 << 20) + 4, 2 << 20}, out32, out, 1001)
                .toString(), "a view one element in is not 16-byte aligned");
        assertEquals("strided", ElemwiseLauncher.choose(f32, new ElemwiseKernel.Access[] {F, X}, aligned, out32, out, 1001).toString());
        assertEquals("contiguous", ElemwiseLauncher.choose(f32, new ElemwiseKernel.Access[] {F, F}, aligned, out32, out, 3).toString(),
                "fewer elements than one vector");
        assertEquals("vector2", ElemwiseLauncher.choose(new DType[] {DType.FLOAT64, DType.FLOAT32}, new ElemwiseKernel.Access[] {F, F},
                aligned, out32, out, 10).toString(), "the widest dtype sets the width");
        assertEquals("contiguous", ElemwiseLauncher.choose(new DType[] {DType.FLOAT64, DType.FLOAT32}, new ElemwiseKernel.Access[] {F, F},
                new long[] {1 << 20, (1 << 20) + 4}, out32, out, 10).toString(), "float32 pairs need 8-byte alignment");
        assertEquals("vector4", ElemwiseLauncher.choose(new DType[] {DType.FLOAT32}, new ElemwiseKernel.Access[] {F},
                new long[] {1 << 20}, new DType[] {DType.BOOL}, new long[] {(1 << 20) + 4}, 10).toString(), "4 bools need 4-byte alignment");
    }

    @Test
    void gridsCoverTheItemsUpToAFewWavesOfResidentBlocks() {
        assertEquals(1, ElemwiseLauncher.gridFor(1, 256, 1056, 4));
        assertEquals(4, ElemwiseLauncher.gridFor(1000, 256, 1056, 4));
        assertEquals(4224, ElemwiseLauncher.gridFor(25_000_000, 256, 1056, 4));
        assertEquals(97657, ElemwiseLauncher.gridFor(25_000_000, 256, 1056, 0), "waves 0: one thread per item");
    }

    static tsl.ops.elemwise.FusedElemwise fused(DType d) {
        DType b = DType.BOOL;
        // t2 = x * y; t3 = exp(t2); t4 = t2 > x; outputs t2 (d), t3 (d), t4 (bool)
        List<tsl.ops.elemwise.Composite.Step> steps = List.of(
                new tsl.ops.elemwise.Composite.Step(ScalarOps.MUL, new int[] {0, 1}, new DType[] {d, d}, d),
                new tsl.ops.elemwise.Composite.Step(d.isFloat() ? ScalarOps.EXP : ScalarOps.NEG, new int[] {2}, new DType[] {d}, d),
                new tsl.ops.elemwise.Composite.Step(ScalarOps.GT, new int[] {2, 0}, new DType[] {d, d}, b));
        return new tsl.ops.elemwise.FusedElemwise(2, steps, new int[] {2, 3, 4},
                new TensorType[] {TensorType.ofNdim(d, 2), TensorType.ofNdim(d, 2), TensorType.ofNdim(b, 2)});
    }

    @Test
    void fusedLoopsWithSeveralOutputsCompileInEveryVariant() throws Exception {
        List<String> sources = new ArrayList<>();
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32}) {
            tsl.ops.elemwise.FusedElemwise f = fused(d);
            DType[] in = {d, d};
            DType ct = FusedKernelCode.computeType(f, in);
            FusedKernelCode all = new FusedKernelCode(f, ct, new int[] {0, 1}, new int[] {0, 1, 2}, null);
            sources.add(ElemwiseKernel.source(all, in, 2, new ElemwiseKernel.Access[] {F, X}, ElemwiseKernel.Variant.STRIDED, 1));
            sources.add(ElemwiseKernel.source(all, in, 2, new ElemwiseKernel.Access[] {F, S}, ElemwiseKernel.Variant.CONTIGUOUS, 1));
            int vec = ElemwiseKernel.vectorWidth(in, new ElemwiseKernel.Access[] {F, F}, all.outputs());
            String v = ElemwiseKernel.source(all, in, 2, new ElemwiseKernel.Access[] {F, F}, ElemwiseKernel.Variant.VECTOR, vec);
            assertTrue(v.contains("out0") && v.contains("out1") && v.contains("out2"), v);
            sources.add(v);
            boolean[][] uses = new boolean[3][];
            boolean[][] needed = f.neededSteps(uses);
            // output 1 alone: only the steps it needs
            FusedKernelCode one = new FusedKernelCode(f, ct, new int[] {0, 1}, new int[] {1}, needed[1]);
            String o1 = ElemwiseKernel.source(one, in, 2, new ElemwiseKernel.Access[] {F, F}, ElemwiseKernel.Variant.CONTIGUOUS, 1);
            assertFalse(o1.contains("tsl_f2 ="), "the comparison is not needed for output 1:\n" + o1);
            sources.add(o1);
        }
        // a bool output: not all float32, so double, as the native backend computes it
        assertEquals(DType.FLOAT64, FusedKernelCode.computeType(fused(DType.FLOAT32), new DType[] {DType.FLOAT32, DType.FLOAT32}));
        assertEquals(DType.INT64, FusedKernelCode.computeType(fused(DType.INT32), new DType[] {DType.INT32, DType.INT32}));
        compileAll(sources, "fused");
    }

    @Test
    void fusedLoopsRunAsKernels() {
        Variable x = new Variable(TensorType.ofNdim(DType.FLOAT32, 2), "x");
        Variable y = new Variable(TensorType.ofNdim(DType.FLOAT32, 2), "y");
        tsl.graph.Apply node = fused(DType.FLOAT32).makeNode(List.of(x, y));
        assertEquals("kernel", CudaLinker.placement(node));
    }
}
