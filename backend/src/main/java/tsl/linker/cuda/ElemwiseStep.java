package tsl.linker.cuda;

import tsl.graph.Apply;
import tsl.graph.TslException;
import tsl.ops.elemwise.Elemwise;
import tsl.tensor.DType;
import tsl.tensor.Shapes;

/** An Elemwise node as one kernel, with the jvm reference's shape checks and messages. */
final class ElemwiseStep implements CudaStep {
    private final Apply node;
    private final Elemwise op;
    private final ElemwiseLauncher launcher;

    ElemwiseStep(Apply node) {
        this.node = node;
        this.op = (Elemwise) node.op();
        this.launcher = new ElemwiseLauncher(op);
    }

    @Override
    public CudaValue[] run(CudaRun run, CudaValue[] in) {
        int[] shape = in[0].shape();
        for (int i = 1; i < in.length; i++) {
            int[] s = in[i].shape();
            if (s.length != shape.length) {
                throw TslException.valueError(op + ": input " + i + " has " + s.length + " dimensions, expected " + shape.length);
            }
            try {
                shape = Shapes.broadcast(shape, s);
            } catch (IllegalArgumentException e) {
                StringBuilder shapes = new StringBuilder();
                for (CudaValue v : in) {
                    shapes.append(shapes.isEmpty() ? "" : " and ").append(Shapes.format(v.shape()));
                }
                throw TslException.valueError("Input dimension mismatch in " + op + ": shapes " + shapes + " cannot be broadcast together");
            }
        }
        DeviceArray[] args = new DeviceArray[in.length];
        for (int i = 0; i < in.length; i++) {
            if (!node.input(i).type().fitsShape(in[i].shape())) {
                throw TslException.valueError(op + ": input " + i + " of shape " + Shapes.format(in[i].shape())
                        + " does not match its type " + node.input(i).type());
            }
            args[i] = in[i].device(run);
        }
        DType out = node.output().dtype();
        return new CudaValue[] {CudaValue.onDevice(launcher.run(run, args, out, shape))};
    }
}
