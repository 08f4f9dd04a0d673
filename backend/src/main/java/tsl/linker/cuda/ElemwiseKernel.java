package tsl.linker.cuda;

import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOp;
import tsl.ops.elemwise.ScalarOps;
import tsl.tensor.DType;

/**
 * CUDA C for an elementwise loop (an {@link Elemwise} node, or a {@link FusedKernelCode
 * multi-output fused loop}): grid-stride loops over contiguous outputs of one shape. The
 * scalar code is the ScalarOps' own C, so every scalar op, and fused Composites, come without
 * per-op kernels. Each input is read one of three ways, chosen per call from its strides:
 * {@code FULL} (contiguous, output-shaped: index i), {@code SCALAR} (one element, read once)
 * or {@code STRIDED} (broadcast or a view: the index is decomposed over the output's
 * dimensions). Three kernel variants:
 * <ul>
 * <li>{@code STRIDED}: some input is strided; only those inputs pay for the index arithmetic.
 * <li>{@code CONTIGUOUS}: linear indexing, no stride arithmetic at all.
 * <li>{@code VECTOR}: like CONTIGUOUS, but each thread moves {@code vec} elements of every
 *     array with one aligned load or store (16 bytes for the widest dtype: float4, double2),
 *     then a scalar tail loop does the last {@code n % vec}. The launcher picks it only when
 *     every pointer is aligned to its vector's size.
 * </ul>
 */
final class ElemwiseKernel {
    static final String ENTRY = "tsl_elemwise";

    enum Access { FULL, SCALAR, STRIDED }

    enum Variant { STRIDED, CONTIGUOUS, VECTOR }

    /** The scalar program of a loop: how inputs are read and how each output is computed. */
    interface Code {
        /** The type every input is converted to when read. */
        DType compute();

        DType[] outputs();

        /** Statements that compute every output from {@code args} (values of the compute type) and assign output o to {@code outs[o]}. */
        String body(String[] args, String[] outs);

        /** A comment naming the op, for the cache and for reading the PTX. */
        String describe();
    }

    /** One Elemwise node: one output, one expression. */
    record ElemwiseCode(Elemwise op, DType[] in, DType out) implements Code {
        @Override
        public DType compute() {
            return computeType(op.scalar(), out, in);
        }

        @Override
        public DType[] outputs() {
            return new DType[] {out};
        }

        @Override
        public String body(String[] args, String[] outs) {
            return outs[0] + " = " + CudaC.convert(expression(op.scalar(), args), out) + ";\n";
        }

        @Override
        public String describe() {
            return op.toString();
        }
    }

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

    /** The variant for these access modes without vectorization: STRIDED if any input is strided, else CONTIGUOUS. */
    static Variant plainVariant(Access[] access) {
        for (Access a : access) {
            if (a == Access.STRIDED) {
                return Variant.STRIDED;
            }
        }
        return Variant.CONTIGUOUS;
    }

    /** An Elemwise node's kernel, unvectorized (the launcher's choice for unaligned views). */
    static String source(Elemwise op, DType[] in, DType out, int ndim, Access[] access) {
        return source(new ElemwiseCode(op, in, out), in, ndim, access, plainVariant(access), 1);
    }

    /**
     * The kernel's CUDA C. Parameters, in order: {@code long long n}; for STRIDED, the output's
     * {@code ndim} dimensions; each input's pointer followed (if it is STRIDED) by its
     * {@code ndim} strides in elements; each output's pointer.
     */
    static String source(Code code, DType[] in, int ndim, Access[] access, Variant variant, int vec) {
        if ((variant == Variant.STRIDED) != (plainVariant(access) == Variant.STRIDED)) {
            throw new IllegalArgumentException("variant " + variant + " does not fit the access modes");
        }
        if ((variant == Variant.VECTOR) != (vec > 1)) {
            throw new IllegalArgumentException("a vector width is for the VECTOR variant only");
        }
        DType[] outs = code.outputs();
        String c = CudaC.type(code.compute());
        boolean strided = variant == Variant.STRIDED;
        StringBuilder s = new StringBuilder(CudaC.PRELUDE);
        s.append("// ").append(code.describe()).append(", ").append(variant).append(vec > 1 ? " x" + vec : "").append('\n');
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
        for (int o = 0; o < outs.length; o++) {
            s.append(", ").append(CudaC.type(outs[o])).append("* __restrict__ out").append(o);
        }
        s.append(") {\n");
        s.append("  const long long step = (long long) blockDim.x * gridDim.x;\n");
        s.append("  const long long tid = (long long) blockIdx.x * blockDim.x + threadIdx.x;\n");
        String[] args = new String[in.length];
        for (int i = 0; i < in.length; i++) {
            args[i] = "a" + i;
        }
        if (!strided) {
            // inputs of one element are read once, not once per element
            for (int i = 0; i < in.length; i++) {
                if (access[i] == Access.SCALAR) {
                    s.append("  const ").append(c).append(" a").append(i).append(" = (").append(c).append(") in").append(i).append("[0];\n");
                }
            }
        }
        String[] scalarOuts = new String[outs.length];
        for (int o = 0; o < outs.length; o++) {
            scalarOuts[o] = "out" + o + "[i]";
        }
        String first = "tid";
        if (variant == Variant.VECTOR) {
            s.append("  const long long nv = n / ").append(vec).append(";\n");
            s.append("  for (long long j = tid; j < nv; j += step) {\n");
            for (int i = 0; i < in.length; i++) {
                if (access[i] == Access.FULL) {
                    String vt = vecType(in[i], vec);
                    s.append("    const ").append(vt).append(" v").append(i).append(" = reinterpret_cast<const ").append(vt)
                            .append("*>(in").append(i).append(")[j];\n");
                }
            }
            String[] vecOuts = new String[outs.length];
            for (int o = 0; o < outs.length; o++) {
                s.append("    ").append(vecType(outs[o], vec)).append(" r").append(o).append(";\n");
                vecOuts[o] = "r" + o + ".v[k]";
            }
            s.append("    #pragma unroll\n");
            s.append("    for (int k = 0; k < ").append(vec).append("; k++) {\n");
            for (int i = 0; i < in.length; i++) {
                if (access[i] == Access.FULL) {
                    s.append("      const ").append(c).append(" a").append(i).append(" = (").append(c).append(") v").append(i).append(".v[k];\n");
                }
            }
            indent(s, code.body(args, vecOuts), "      ");
            s.append("    }\n");
            for (int o = 0; o < outs.length; o++) {
                s.append("    reinterpret_cast<").append(vecType(outs[o], vec)).append("*>(out").append(o).append(")[j] = r").append(o).append(";\n");
            }
            s.append("  }\n");
            first = "nv * " + vec + " + tid"; // the tail: fewer than vec elements
        }
        s.append("  for (long long i = ").append(first).append("; i < n; i += step) {\n");
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
        for (int i = 0; i < in.length; i++) {
            if (!strided && access[i] == Access.SCALAR) {
                continue;
            }
            String index = switch (access[i]) {
                case FULL -> "i";
                case SCALAR -> "0";
                case STRIDED -> "o" + i;
            };
            s.append("    const ").append(c).append(" a").append(i).append(" = (").append(c).append(") in").append(i)
                    .append('[').append(index).append("];\n");
        }
        indent(s, code.body(args, scalarOuts), "    ");
        s.append("  }\n}\n");
        return s.toString();
    }

    /** {@code vec} elements of {@code d} as one aligned struct, so that one load or store moves them all. */
    static String vecType(DType d, int vec) {
        return "tsl_vec<" + CudaC.type(d) + ", " + vec + ">";
    }

    private static void indent(StringBuilder s, String body, String pad) {
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                s.append(pad).append(line).append('\n');
            }
        }
    }

    /**
     * Elements per vector when every FULL array and output is aligned: 16 bytes of the widest
     * such dtype (float32: 4, float64: 2); 1 when nothing is to be gained (a 16-byte dtype,
     * or no array read or written element by element).
     */
    static int vectorWidth(DType[] in, Access[] access, DType[] outs) {
        int widest = 0;
        for (int i = 0; i < in.length; i++) {
            if (access[i] == Access.FULL) {
                widest = Math.max(widest, in[i].byteSize());
            }
        }
        for (DType o : outs) {
            widest = Math.max(widest, o.byteSize());
        }
        return widest == 0 ? 1 : Math.max(1, 16 / widest);
    }
}
