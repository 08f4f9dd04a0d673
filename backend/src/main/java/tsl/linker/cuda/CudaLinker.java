package tsl.linker.cuda;

import java.util.List;

import jcuda.CudaException;
import tsl.compile.Linker;
import tsl.compile.SlotPlan;
import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.FunctionGraph;
import tsl.graph.Op;
import tsl.graph.SharedVariable;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.blas.Dot;
import tsl.ops.blas.Gemm;
import tsl.ops.blas.Gemv;
import tsl.ops.elemwise.Composite;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.FusedElemwise;
import tsl.ops.nnet.Softmax;
import tsl.ops.reduce.Reduce;
import tsl.ops.reduce.ReducedCount;
import tsl.ops.shape.Alloc;
import tsl.ops.shape.DimShuffle;
import tsl.ops.shape.Reshape;
import tsl.ops.shape.Shape;
import tsl.tensor.NDArray;

/**
 * The cuda linker ({@code device=cuda}, {@code Mode(linker='cuda')}): elementwise nodes (any
 * ScalarOp, fused Composites included), reductions, softmax and products run as CUDA kernels;
 * DimShuffle and Reshape are device views; every other op runs its Java reference on the
 * host, with its inputs copied there (a node without a kernel is correct, only slower).
 * Function inputs are copied to the device at each call and outputs back; the values of
 * shared variables and constants stay on the device between calls ({@link Residency}).
 */
public final class CudaLinker implements Linker {

    private record Step(Apply node, CudaStep impl, int[] in, int[] out) {}

    static CudaStep stepFor(Apply node) {
        Op op = node.op();
        if (op instanceof Elemwise e && e.scalar().c() != null) {
            return new ElemwiseStep(node);
        }
        if (op instanceof FusedElemwise f && Composite.hasC(f.steps())) {
            return new FusedElemwiseStep(node);
        }
        if (op instanceof Reduce) {
            return new ReduceStep(node);
        }
        if (op instanceof Softmax) {
            return new SoftmaxStep(node);
        }
        if (op instanceof Dot) {
            return new DotStep(node);
        }
        if (op instanceof Gemm || op instanceof Gemv) {
            return new GemmStep(node);
        }
        if (op instanceof DimShuffle) {
            return new DimShuffleStep(node);
        }
        if (op instanceof Reshape) {
            return new ReshapeStep(node);
        }
        if (op instanceof Alloc) {
            return new AllocStep();
        }
        if (op instanceof Shape || op instanceof ReducedCount) {
            return new ShapeStep(node);
        }
        return new HostStep(node);
    }

    /** Where a node runs under this linker: "kernel", "view" (no data moved) or "host" (the Java reference). */
    public static String placement(Apply node) {
        CudaStep s = stepFor(node);
        if (s instanceof HostStep) {
            return "host";
        }
        return s instanceof DimShuffleStep || s instanceof ReshapeStep || s instanceof ShapeStep || s instanceof AllocStep
                ? "view" : "kernel";
    }

    @Override
    public Program link(FunctionGraph graph, List<Variable> freeVariables) {
        CudaDevice device = CudaDevice.get();
        SlotPlan plan = SlotPlan.of(graph, freeVariables);
        Step[] steps = new Step[plan.order().size()];
        for (int s = 0; s < steps.length; s++) {
            Apply a = plan.order().get(s);
            steps[s] = new Step(a, stepFor(a), plan.inputs()[s], plan.outputs()[s]);
        }
        int nfree = freeVariables.size();
        boolean[] resident = new boolean[nfree];
        for (int i = 0; i < nfree; i++) {
            Variable v = freeVariables.get(i);
            resident[i] = v instanceof SharedVariable || v instanceof Constant;
        }
        List<Variable> outputs = graph.outputs();
        int[] outputSlots = plan.graphOutputs();
        boolean[] keepOnDevice = new boolean[outputs.size()];
        for (int i = 0; i < outputSlots.length; i++) {
            keepOnDevice[i] = mayBecomeSharedValue(outputs.get(i), freeVariables);
        }
        int nslots = plan.size();
        Variable[] free = freeVariables.toArray(new Variable[0]);
        return new Program(device, steps, free, resident, outputSlots, keepOnDevice, nslots);
    }

    /**
     * A linked graph. Shared variables' values are read on the device: the host array's
     * device copy, or the device value a placeholder stands for. Outputs the caller marks as
     * update values only stay on the device and come back as placeholders.
     */
    private record Program(CudaDevice device, Step[] steps, Variable[] free, boolean[] resident, int[] outputSlots,
                           boolean[] keepOnDevice, int nslots) implements Linker.Program {

        @Override
        public NDArray[] run(NDArray[] freeValues) {
            return run(freeValues, null);
        }

        @Override
        public boolean keepsValuesOnDevice() {
            return true;
        }

        @Override
        public SharedVariable.DeviceValue deviceValue(NDArray result) {
            if (!ResidentValue.isPlaceholder(result)) {
                return null;
            }
            device.enter();
            try {
                return device.residency.residentValue(result);
            } finally {
                device.exit();
            }
        }

        @Override
        public NDArray[] run(NDArray[] freeValues, boolean[] mayStayOnDevice) {
            int nfree = free.length;
            device.enter();
            try (CudaRun run = new CudaRun(device)) {
                CudaValue[] values = new CudaValue[nslots];
                NDArray[] read = freeValues.clone();
                for (int i = 0; i < nfree; i++) {
                    if (free[i] instanceof SharedVariable s) {
                        // read again under the device lock: a value another call has since replaced
                        // (and whose device buffer it released) is never used
                        read[i] = s.storedValue();
                    }
                    values[i] = resident[i] ? CudaValue.resident(read[i], run.resident(read[i])) : CudaValue.onHost(read[i]);
                }
                for (Step step : steps) {
                    CudaValue[] args = new CudaValue[step.in.length];
                    for (int i = 0; i < args.length; i++) {
                        args[i] = values[step.in[i]];
                    }
                    CudaValue[] results = CudaLinker.run(step, run, args);
                    for (int i = 0; i < step.out.length; i++) {
                        values[step.out[i]] = results[i];
                    }
                }
                NDArray[] outs = new NDArray[outputSlots.length];
                for (int i = 0; i < outs.length; i++) {
                    int s = outputSlots[i];
                    CudaValue v = values[s];
                    try {
                        if (s < nfree) {
                            // a free variable returned as is: the caller copies what it was given,
                            // anything else (a value read again above, a device value) is a new array here
                            boolean placeholder = ResidentValue.isPlaceholder(read[s]);
                            outs[i] = placeholder ? v.host(run) : read[s] == freeValues[s] ? read[s] : read[s].copy();
                        } else if (mayStayOnDevice != null && mayStayOnDevice[i] && onlyOutputOf(s, i) && v.isOnDevice() && sizeOf(v) > 0) {
                            outs[i] = run.keepOnDevice(v.device(run));
                        } else {
                            outs[i] = v.host(run);
                            if (mayStayOnDevice == null && keepOnDevice[i] && v.isOnDevice()) {
                                run.retain(outs[i], v.device(run));
                            }
                        }
                    } catch (CudaException e) {
                        throw new TslException("RuntimeError", "CUDA error while copying results: " + e.getMessage(), null, e);
                    }
                }
                return outs;
            } finally {
                device.exit();
            }
        }

        /** Whether no other output is the same value (a placeholder must be stored in one place only, and returned to no one). */
        private boolean onlyOutputOf(int slot, int output) {
            for (int j = 0; j < outputSlots.length; j++) {
                if (j != output && outputSlots[j] == slot) {
                    return false;
                }
            }
            return true;
        }

        private static long sizeOf(CudaValue v) {
            return NDArray.sizeOf(v.shape());
        }
    }

    private static CudaValue[] run(Step step, CudaRun run, CudaValue[] args) {
        try {
            return step.impl.run(run, args);
        } catch (TslException e) {
            throw e.at(step.node.location());
        } catch (CudaException e) {
            throw new TslException("RuntimeError", "CUDA error in " + step.node.op() + ": " + e.getMessage(), step.node.location(), e);
        } catch (RuntimeException e) {
            throw new TslException("RuntimeError", "error in " + step.node.op() + ": " + e, step.node.location(), e);
        }
    }

    /**
     * Whether an output could be an update of a shared variable: the linker is not told which
     * outputs are updates, and keeping every output on the device would double its memory.
     */
    private static boolean mayBecomeSharedValue(Variable out, List<Variable> free) {
        for (Variable v : free) {
            if (v instanceof SharedVariable s && s.dtype() == out.dtype() && s.ndim() == out.ndim()) {
                return true;
            }
        }
        return false;
    }
}
