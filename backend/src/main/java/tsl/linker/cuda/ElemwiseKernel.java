package tsl.linker.cuda;

import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOp;
import tsl.ops.elemwise.ScalarOps;
import tsl.tensor.DType;

/**
 * CUDA C for an {@link Elemwise} node: one grid-stride loop over the (contiguous) output.
 * The scalar expression is the ScalarOp's own C expression, so every scalar op, and fused
 * Composites, come without per-op kernels. Each input is read one of three ways, chosen per
 * call from its strides: {@code FULL} (contiguous, output-shaped: index i), {@code SCALAR}
 * (one element) or {@code STRIDED} (broadcast or a view: the index is decomposed over the
 * output's dimensions). Only the strided inputs pay for the index arithmetic.
 */
final class ElemwiseKernel {
    static final String ENTRY = "tsl_elemwise";

    enum Access { FULL, SCALAR, STRIDED }

    private ElemwiseKernel() {}

    /**
     * The type the expression is evaluated in: 64-bit integers where the jvm reference
     * computes in integers, else the output's float type, else (comparisons of floats, casts
     * to integers) the widest float input.
     */
    static DType computeType(ScalarOp op, DType out, DType[] in) {
        if (op.computesInIntegers(out, in)) {
            return DType.INT64;
        }
        if (out.isFloat()) {
            return out;
        }
        DType f = null;
        for (DType d : in) {
            if (d.isFloat()) {
                f = f == null ? d : DType.promote(f, d);
            }
        }
        return f != null ? f : DType.FLOAT64;
    }

    /** The op's C expression; maximum and minimum use NaN-propagating helpers, as NumPy does. */
    static String expression(ScalarOp op, String[] args) {
        if (op.equals(ScalarOps.MAXIMUM)) {
            return "tsl_max(" + args[0] + ", " + args[1] + ")";
        }
        if (op.equals(ScalarOps.MINIMUM)) {
            return "tsl_min(" + args[0] + ", " + args[1] + ")";
        }
        return CudaC.withoutStatementExpressions(op.c().apply(args));
    }

    static String source(Elemwise op, DType[] in, DType out, int ndim, Access[] access) {
        DType ct = computeType(op.scalar(), out, in);
        String c = CudaC.type(ct);
        boolean strided = false;
        for (Access a : access) {
            strided |= a == Access.STRIDED;
        }
        StringBuilder s = new StringBuilder(CudaC.PRELUDE);
        s.append("// ").append(op).append('\n');
        s.append("extern \"C\" __global__ void ").append(ENTRY).append("(long long n");
        if (strided) {
            for (int d = 0; d < ndim; d++) {
                s.append(", long long d").append(d);
            }
        }
        for (int i = 0; i < in.length; i++) {
            s.append(", const ").append(CudaC.type(in[i])).append("* __restrict__ in").append(i);
            if (access[i] == Access.STRIDED) {
                for (int d = 0; d < ndim; d++) {
                    s.append(", long long s").append(i).append('_').append(d);
                }
            }
        }
        s.append(", ").append(CudaC.type(out)).append("* __restrict__ out) {\n");
        s.append("  long long step = (long long) blockDim.x * gridDim.x;\n");
        s.append("  for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += step) {\n");
        if (strided) {
            s.append("    long long r = i, c;\n");
            for (int i = 0; i < in.length; i++) {
                if (access[i] == Access.STRIDED) {
                    s.append("    long long o").append(i).append(" = 0;\n");
                }
            }
            for (int d = ndim - 1; d >= 0; d--) {
                s.append("    c = r % d").append(d).append("; r /= d").append(d).append(";\n");
                for (int i = 0; i < in.length; i++) {
                    if (access[i] == Access.STRIDED) {
                        s.append("    o").append(i).append(" += c * s").append(i).append('_').append(d).append(";\n");
                    }
                }
            }
        }
        String[] args = new String[in.length];
        for (int i = 0; i < in.length; i++) {
            String index = switch (access[i]) {
                case FULL -> "i";
                case SCALAR -> "0";
                case STRIDED -> "o" + i;
            };
            s.append("    ").append(c).append(" a").append(i).append(" = (").append(c).append(") in").append(i)
                    .append('[').append(index).append("];\n");
            args[i] = "a" + i;
        }
        s.append("    out[i] = ").append(CudaC.convert(expression(op.scalar(), args), out)).append(";\n");
        s.append("  }\n}\n");
        return s.toString();
    }
}
