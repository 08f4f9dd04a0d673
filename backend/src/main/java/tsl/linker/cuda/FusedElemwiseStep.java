package tsl.linker.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.TslException;
import tsl.ops.elemwise.FusedElemwise;
import tsl.tensor.DType;
import tsl.tensor.Shapes;

/**
 * A multi-output fused loop as one kernel writing every output, with the jvm reference's
 * shape rules: each output has the broadcast shape of the inputs it depends on. When those
 * agree (the usual case) one launch computes the shared steps once per element; otherwise
 * each output gets its own launch over its own shape, computing only the steps it needs.
 */
final class FusedElemwiseStep implements CudaStep {
    private final Apply node;
    private final FusedElemwise op;
    private final boolean[][] uses;
    private final boolean[][] needed;
    private final DType compute;
    private final ElemwiseLauncher together = new ElemwiseLauncher(null);
    private final ElemwiseLauncher[] apart;

    FusedElemwiseStep(Apply node) {
        this.node = node;
        this.op = (FusedElemwise) node.op();
        int nout = op.results().length;
        this.uses = new boolean[nout][];
        this.needed = op.neededSteps(uses);
        DType[] in = node.inputs().stream().map(v -> v.dtype()).toArray(DType[]::new);
        this.compute = FusedKernelCode.computeType(op, in);
        this.apart = new ElemwiseLauncher[nout];
        for (int o = 0; o < nout; o++) {
            apart[o] = new ElemwiseLauncher(null);
        }
    }

    /** The launcher of the latest call when all outputs agreed in shape (for tests and benchmarks). */
    ElemwiseLauncher launcher() {
        return together;
    }

    @Override
    public CudaValue[] run(CudaRun run, CudaValue[] in) {
        int nout = op.results().length;
        int nd = op.outTypes()[0].ndim();
        for (int i = 0; i < in.length; i++) {
            if (!node.input(i).type().fitsShape(in[i].shape())) {
                throw TslException.valueError(op + ": input " + i + " of shape " + Shapes.format(in[i].shape())
                        + " does not match its type " + node.input(i).type());
            }
            if (in[i].shape().length != nd) {
                throw TslException.valueError(op + ": input " + i + " has " + in[i].shape().length + " dimensions, expected " + nd);
            }
        }
        int[][] shapes = new int[nout][];
        boolean same = true;
        for (int o = 0; o < nout; o++) {
            shapes[o] = broadcastShape(in, uses[o], nd);
            same &= Arrays.equals(shapes[o], shapes[0]);
        }
        CudaValue[] result = new CudaValue[nout];
        if (same) {
            int[] all = new int[in.length];
            int[] outs = new int[nout];
            DeviceArray[] args = new DeviceArray[in.length];
            for (int i = 0; i < in.length; i++) {
                all[i] = i;
                args[i] = in[i].device(run);
            }
            for (int o = 0; o < nout; o++) {
                outs[o] = o;
            }
            DeviceArray[] r = together.launch(run, new FusedKernelCode(op, compute, all, outs, null), args, shapes[0]);
            for (int o = 0; o < nout; o++) {
                result[o] = CudaValue.onDevice(r[o]);
            }
            return result;
        }
        for (int o = 0; o < nout; o++) {
            List<Integer> used = new ArrayList<>();
            for (int i = 0; i < in.length; i++) {
                if (uses[o][i]) {
                    used.add(i);
                }
            }
            int[] which = used.stream().mapToInt(Integer::intValue).toArray();
            DeviceArray[] args = new DeviceArray[which.length];
            for (int k = 0; k < which.length; k++) {
                args[k] = in[which[k]].device(run);
            }
            DeviceArray[] r = apart[o].launch(run, new FusedKernelCode(op, compute, which, new int[] {o}, needed[o]), args, shapes[o]);
            result[o] = CudaValue.onDevice(r[0]);
        }
        return result;
    }

    private int[] broadcastShape(CudaValue[] in, boolean[] used, int nd) {
        int[] shape = null;
        for (int i = 0; i < in.length; i++) {
            if (!used[i]) {
                continue;
            }
            try {
                shape = shape == null ? in[i].shape() : Shapes.broadcast(shape, in[i].shape());
            } catch (IllegalArgumentException e) {
                throw TslException.valueError("Input dimension mismatch in " + op + ": shapes " + Shapes.format(shape)
                        + " and " + Shapes.format(in[i].shape()) + " cannot be broadcast together");
            }
        }
        return shape == null ? new int[nd] : shape;
    }
}
