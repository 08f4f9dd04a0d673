package tsl.linker.cuda;

import java.util.Arrays;

import tsl.ops.elemwise.Composite;
import tsl.ops.elemwise.FusedElemwise;
import tsl.tensor.DType;

/**
 * The scalar program of a {@link FusedElemwise} as kernel code: the shared steps once per
 * element, then a store per output. {@code inputs} are the node inputs the kernel is given
 * (all of them, or those one output reads when outputs differ in shape); {@code which}
 * the outputs it writes; {@code needed} the steps it computes (null: all).
 */
record FusedKernelCode(FusedElemwise op, DType compute, int[] inputs, int[] which, boolean[] needed) implements ElemwiseKernel.Code {

    /**
     * The type inputs are read in, as the native backend's fused loop does: 64-bit integers
     * for an all-integer program, float when every input and output is float32, else double.
     * Each step then rounds to its own dtype.
     */
    static DType computeType(FusedElemwise op, DType[] in) {
        if (Composite.allInteger(op.steps())) {
            return DType.INT64;
        }
        boolean allFloat32 = Arrays.stream(in).allMatch(d -> d == DType.FLOAT32);
        for (var t : op.outTypes()) {
            allFloat32 &= t.dtype() == DType.FLOAT32;
        }
        return allFloat32 ? DType.FLOAT32 : DType.FLOAT64;
    }

    @Override
    public DType[] outputs() {
        DType[] d = new DType[which.length];
        for (int o = 0; o < d.length; o++) {
            d[o] = op.outTypes()[which[o]].dtype();
        }
        return d;
    }

    @Override
    public String body(String[] args, String[] outs) {
        int nin = op.nin();
        String[] in = new String[nin];
        Arrays.fill(in, "0"); // an input this kernel is not given is read by no step it computes
        for (int k = 0; k < inputs.length; k++) {
            in[inputs[k]] = args[k];
        }
        String[] names = new String[nin + op.steps().size()];
        StringBuilder s = new StringBuilder(Composite.cStatements(nin, op.steps(), in, needed, "tsl_f", names));
        DType[] od = outputs();
        for (int o = 0; o < which.length; o++) {
            s.append(outs[o]).append(" = ").append(store(od[o], names[op.results()[which[o]]])).append(";\n");
        }
        // nested composites come as GNU statement expressions, and with <stdint.h> names
        return CudaC.withoutStatementExpressions(s.toString());
    }

    /** A value of the compute type stored as {@code out}: non-zero for bool, truncated through 64 bits for integers. */
    private String store(DType out, String value) {
        if (out.isBool() || out.isFloat() || compute == DType.INT64) {
            return CudaC.convert(value, out);
        }
        return CudaC.convert("(tsl_i64) (" + value + ")", out);
    }

    @Override
    public String describe() {
        return op + " outputs " + Arrays.toString(which);
    }
}
