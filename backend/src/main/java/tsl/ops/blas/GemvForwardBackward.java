package tsl.ops.blas;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.elemwise.FusedElemwise;
import tsl.tensor.NDArray;

/**
 * A forward product, a row-wise elementwise loop and a backward product over the same matrix,
 * as one op so that the native code can read the matrix once (the rewrite
 * {@code local_gemv_forward_backward} builds it):
 * <pre>
 *   z    = beta1 * z0 + alpha1 * dot(X, w)          (the forward Gemv, one value per row of X)
 *   outs = body(z, per-row vectors, scalars)        (a FusedElemwise over the rows)
 *   g    = beta2 * c + alpha2 * dot(X.T, outs[d])   (the backward Gemv)
 * </pre>
 * Inputs: {@code X, w, z0, alpha1, beta1, c, alpha2, beta2}, then the body's inputs other than
 * z in their order. Outputs: z, every body output, g — everything the replaced nodes gave.
 *
 * <p>{@link #perform} runs the three original computations one after the other (the jvm
 * reference, with their own shape errors); the C code walks X in blocks of rows and does all
 * three per block while it is in cache.
 */
public record GemvForwardBackward(FusedElemwise body, int zInput, int deltaOutput, TensorType zType, TensorType gType)
        implements Op {
    /** Inputs before the body's own: X, w, z0, alpha1, beta1, c, alpha2, beta2. */
    public static final int FIXED_INPUTS = 8;

    public GemvForwardBackward {
        if (zInput < 0 || zInput >= body.nin() || deltaOutput < 0 || deltaOutput >= body.results().length) {
            throw new IllegalArgumentException("z input " + zInput + " or delta output " + deltaOutput + " out of range");
        }
    }

    @Override
    public Apply makeNode(List<Variable> inputs) {
        if (inputs.size() != FIXED_INPUTS + body.nin() - 1) {
            throw TslException.typeError(this + " takes " + (FIXED_INPUTS + body.nin() - 1) + " inputs, got " + inputs.size());
        }
        Variable x = inputs.get(0);
        if (x.ndim() != 2 || x.dtype() != zType.dtype() || x.dtype() != gType.dtype() || inputs.get(1).ndim() != 1) {
            throw TslException.typeError(this + ": expected a " + zType.dtype() + " matrix and a vector, got " + x.type()
                    + " and " + inputs.get(1).type());
        }
        List<TensorType> out = new ArrayList<>();
        out.add(zType);
        out.addAll(Arrays.asList(body.outTypes()));
        out.add(gType);
        return new Apply(this, inputs, out);
    }

    /** The index in this op's inputs of body input {@code i} (not z). */
    public static int inputOfBody(int i, int zInput) {
        return FIXED_INPUTS + (i < zInput ? i : i - 1);
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        Gemv gemv = new Gemv();
        NDArray z = ScaledProduct.perform(gemv, new NDArray[] {in[2], in[3], in[0], in[1], in[4]});
        int nin = body.nin();
        NDArray[] bodyIn = new NDArray[nin];
        List<Variable> bodyVars = new ArrayList<>(nin);
        for (int i = 0; i < nin; i++) {
            bodyIn[i] = i == zInput ? z : in[inputOfBody(i, zInput)];
            bodyVars.add(i == zInput ? node.output() : node.input(inputOfBody(i, zInput)));
        }
        // the body checks its inputs against their static types, so it gets a node of its own
        NDArray[] outs = body.perform(body.makeNode(bodyVars), bodyIn);
        NDArray g = ScaledProduct.perform(gemv, new NDArray[] {in[5], in[6], in[0].transpose(), outs[deltaOutput], in[7]});
        NDArray[] all = new NDArray[outs.length + 2];
        all[0] = z;
        System.arraycopy(outs, 0, all, 1, outs.length);
        all[all.length - 1] = g;
        return all;
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        throw TslException.notSupported("gradient of GemvForwardBackward (it is built after gradients are taken)");
    }

    @Override
    public boolean equals(Object o) {
        return this == o; // its body compares by identity too
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "GemvForwardBackward{" + body + "." + deltaOutput + "}";
    }
}
