package tsl.linker.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import tsl.compile.Config;
import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;

/**
 * The cuda linker. Without a GPU: asking for it is a clear error and nothing else changes.
 * With a GPU: every {@link CudaSelfCheck} case matches the jvm reference.
 */
class CudaLinkerTest {

    @Test
    void withoutAGpuTheCudaLinkerIsAClearError() {
        assumeFalse(CudaDevice.available(), "a GPU is present");
        Variable x = CudaSelfCheck.var(DType.FLOAT32, 1, "x");
        FunctionBuilder b = new FunctionBuilder().inputs(List.of(In.of(x))).outputs(List.of(T.exp(x)), true)
                .mode(new Mode("cuda", "fast_run"));
        TslException e = assertThrows(TslException.class, b::build);
        assertTrue(e.getMessage().startsWith("no CUDA device: "), e.getMessage());
        assertTrue(e.getMessage().length() < 400, "the reason is one short line: " + e.getMessage());
    }

    @Test
    void deviceCudaPlacesFunctionsOnTheGpuAndDefaultsFloatXToFloat32() {
        DType before = Config.floatX();
        Config.set("device", "cuda");
        try {
            assertEquals("cuda", Config.device());
            assertEquals(DType.FLOAT32, Config.floatX());
            assertTrue(new Mode("jvm", "fast_run").newLinker() instanceof CudaLinker);
        } finally {
            Config.set("device", "cpu");
        }
        assertEquals(before, Config.floatX());
        assertThrows(TslException.class, () -> Config.set("device", "opencl"));
    }

    @Test
    void kernelsForElemwiseReductionsAndProductsViewsForShapesTheHostForTheRest() {
        Variable x = CudaSelfCheck.var(DType.FLOAT32, 2, "x");
        assertEquals("kernel", CudaLinker.placement(T.exp(x).owner()));
        assertEquals("kernel", CudaLinker.placement(T.sum(x, 0).owner()));
        assertEquals("kernel", CudaLinker.placement(T.dot(x, x).owner()));
        assertEquals("kernel", CudaLinker.placement(T.softmax(x).owner()));
        assertEquals("view", CudaLinker.placement(T.transpose(x).owner()));
        assertEquals("view", CudaLinker.placement(T.shape(x).owner()));
        assertEquals("host", CudaLinker.placement(T.concatenate(List.of(x, x), 0).owner()));
    }

    @Test
    void dimensionsCollapseWhenTheyAreContiguousWithEachOther() {
        // (2,3,4) contiguous: strides (12,4,1) collapse to one run of 24
        List<long[]> c = ReduceStep.collapse(List.of(new long[] {2, 12}, new long[] {3, 4}, new long[] {4, 1}));
        assertEquals(1, c.size());
        assertEquals(24, c.get(0)[0]);
        assertEquals(1, c.get(0)[1]);
        // a transposed pair does not collapse; a length-1 dimension disappears
        List<long[]> t = ReduceStep.collapse(List.of(new long[] {3, 1}, new long[] {1, 99}, new long[] {2, 3}));
        assertEquals(2, t.size());
    }

    @Test
    void ptxIsCachedOnDiskInAPrivateDirectory(@TempDir Path tmp) throws Exception {
        assumeTrue(PtxCompiler.findNvcc() != null || PtxCompiler.nvrtcAvailable(), "no CUDA compiler");
        Path dir = tmp.resolve("cache");
        Config.set("cuda.cache", dir.toString());
        try {
            String src = ElemwiseKernel.source(new tsl.ops.elemwise.Elemwise(tsl.ops.elemwise.ScalarOps.EXP),
                    new DType[] {DType.FLOAT32}, DType.FLOAT32, 1, new ElemwiseKernel.Access[] {ElemwiseKernel.Access.FULL});
            PtxCompiler c = new PtxCompiler(90);
            byte[] first = c.ptx(src);
            assertTrue(new String(first).contains(".entry tsl_elemwise"));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            List<Path> entries;
            try (Stream<Path> s = Files.list(dir)) {
                entries = s.toList();
            }
            assertEquals(1, entries.size(), "one PTX file, no temporary left: " + entries);
            Files.writeString(entries.get(0), "// from the cache\n");
            assertEquals("// from the cache\n", new String(c.ptx(src)), "the second compile reads the cache");
        } finally {
            Config.set("cuda.cache", System.getProperty("java.io.tmpdir") + "/tsl-cuda-test-cache");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesTheJvmReference() {
        return CudaSelfCheck.cases().entrySet().stream().map((Map.Entry<String, Supplier<CudaSelfCheck.Case>> e) ->
                DynamicTest.dynamicTest(e.getKey(), () -> {
                    assumeTrue(CudaDevice.available(), "no GPU");
                    assertNull(CudaSelfCheck.check(e.getValue().get()));
                }));
    }

    @Test
    void sharedVariablesStayCoherentWithTheirDeviceCopies() {
        assumeTrue(CudaDevice.available(), "no GPU");
        assertNull(CudaSelfCheck.checkSharedUpdates());
    }

    @Test
    void updatesStayOnTheDeviceBetweenCalls() {
        assumeTrue(CudaDevice.available(), "no GPU");
        assertNull(CudaSelfCheck.checkDeviceResidentShared());
    }

    @Test
    void vectorizedAndUnalignedElementwiseKernelsAgreeWithTheHost() {
        assumeTrue(CudaDevice.available(), "no GPU");
        assertNull(CudaSelfCheck.checkKernelVariants());
    }

    @Test
    void theSelfCheckFusedCasesReallyContainMultiOutputLoops() {
        // checked on the jvm linker (same optimizer): the cases must exercise FusedElemwise on the GPU
        for (String name : List.of("fused-multi-output-f32", "fused-multi-output-f64-odd", "fused-multi-output-broadcast-row",
                "fused-multi-output-int")) {
            CudaSelfCheck.Case k = CudaSelfCheck.cases().get(name).get();
            tsl.compile.Function f = CudaSelfCheck.compile(k, "jvm");
            boolean fused = f.graph().toposort().stream().anyMatch(a -> a.op() instanceof tsl.ops.elemwise.FusedElemwise);
            assertTrue(fused, name + " has no FusedElemwise:\n" + f.graph().toposort());
        }
    }

    @Test
    void theSelfCheckGemmCasesReallyContainGemmAndGemv() {
        CudaSelfCheck.Case k = CudaSelfCheck.cases().get("gemm-gemv-scaled-float32").get();
        tsl.compile.Function f = CudaSelfCheck.compile(k, "jvm");
        java.util.Set<String> ops = new java.util.HashSet<>();
        for (tsl.graph.Apply a : f.graph().toposort()) {
            ops.add(a.op().getClass().getSimpleName());
            if (a.op() instanceof tsl.ops.blas.Gemm || a.op() instanceof tsl.ops.blas.Gemv) {
                assertEquals("kernel", CudaLinker.placement(a));
            }
        }
        assertTrue(ops.contains("Gemm") && ops.contains("Gemv"), "ops: " + ops);
    }
}
