package tsl.ops.random;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.SharedVariable;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.shape.DimShuffle;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * Theano's RandomStreams / MRG_RandomStreams: a seeded factory of random variables. Each
 * variable it makes owns a Philox stream state (a shared variable whose default update
 * advances it), so every call of a compiled function draws fresh values, and the values are
 * the same for the same seed in every run and on every backend.
 */
public final class RandomStreams {
    private long seed;
    private final List<SharedVariable> states = new ArrayList<>();

    public RandomStreams(long seed) {
        this.seed = seed;
    }

    /** Reseeds every stream this object made, as Theano's {@code srng.seed(n)} does. */
    public synchronized void seed(long newSeed) {
        seed = newSeed;
        for (int k = 0; k < states.size(); k++) {
            states.get(k).setValue(initialState(newSeed, k), true);
        }
    }

    public synchronized List<SharedVariable> states() {
        return List.copyOf(states);
    }

    private static NDArray initialState(long seed, long stream) {
        return NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {Philox.key(seed, stream), 0});
    }

    /** A standard draw of {@code size} (Java integers and integer scalar variables). */
    private synchronized Variable draw(RandomVariable.Distribution dist, DType dtype, Object[] size) {
        SharedVariable state = new SharedVariable(new TensorType(DType.INT64, 2), initialState(seed, states.size()), "rng_state");
        states.add(state);
        List<Variable> in = new ArrayList<>();
        in.add(state);
        for (Object s : size) {
            if (s instanceof Number n) {
                in.add(T.constant(n.longValue(), DType.INT64));
                continue;
            }
            Variable d = T.asTensorVariable(s);
            in.add(d.dtype() == DType.INT64 ? d : T.cast(d, DType.INT64));
        }
        Apply node = new RandomVariable(dist, dtype).makeNode(in);
        state.setDefaultUpdate(node.outputs().get(0));
        return node.outputs().get(1);
    }

    /** uniform(size, low, high): low + (high - low) * U[0, 1). */
    public Variable uniform(Object[] size, Object low, Object high, DType dtype) {
        Variable lo0 = param(low, dtype);
        Variable hi0 = param(high, dtype);
        Variable u = draw(RandomVariable.Distribution.UNIFORM, dtype, sizeOrParamShape(size, lo0, hi0));
        Variable lo = fitting("uniform", "low", lo0, u);
        Variable hi = fitting("uniform", "high", hi0, u);
        return T.cast(T.add(lo, T.mul(T.sub(hi, lo), u)), dtype);
    }

    /** normal(size, avg, std): avg + std * N(0, 1), so gradients reach avg and std. */
    public Variable normal(Object[] size, Object avg, Object std, DType dtype) {
        Variable mu = param(avg, dtype);
        Variable sigma = param(std, dtype);
        Variable z = draw(RandomVariable.Distribution.NORMAL, dtype, sizeOrParamShape(size, mu, sigma));
        return T.cast(T.add(fitting("normal", "avg", mu, z), T.mul(fitting("normal", "std", sigma, z), z)), dtype);
    }

    /** binomial(size, n, p): the number of successes in n trials, n a static count. */
    public Variable binomial(Object[] size, int n, Object p, DType dtype) {
        if (n < 0) {
            throw TslException.valueError("binomial: n must be >= 0, got " + n);
        }
        DType floatType = p instanceof Variable pv && pv.dtype() == DType.FLOAT32 ? DType.FLOAT32 : DType.FLOAT64;
        if (n == 1) {
            return T.cast(T.lt(draw(RandomVariable.Distribution.UNIFORM, floatType, size), p), dtype);
        }
        Object[] withTrials = java.util.Arrays.copyOf(size, size.length + 1);
        withTrials[size.length] = n;
        Variable u = draw(RandomVariable.Distribution.UNIFORM, floatType, withTrials);
        Variable pp = T.asTensorVariable(p);
        if (pp.ndim() > 0) {
            pp = T.dimshuffle(pp, expandLast(pp.ndim()));
        }
        return T.cast(T.sum(T.cast(T.lt(u, pp), DType.INT64), new int[] {size.length}, false), dtype);
    }

    /**
     * choice(size, a, replace, p): indices in [0, a). With replacement and uniform p,
     * floor(a * U); with p, the first index whose cumulative probability exceeds U; without
     * replacement, the first entries of a random permutation.
     */
    public Variable choice(Object[] size, Object a, boolean replace, Object p, DType dtype) {
        if (!replace) {
            if (p != null) {
                throw TslException.notSupported("choice(replace=False, p=...)");
            }
            Variable perm = permutation(a, dtype);
            Variable count = T.asTensorVariable(1L);
            for (Object s : size) {
                count = T.mul(count, s instanceof Integer i ? (Object) (long) i : s);
            }
            return T.reshape(T.subtensor(perm, T.slice(null, count)), java.util.Arrays.asList(size));
        }
        Variable u = draw(RandomVariable.Distribution.UNIFORM, DType.FLOAT64, size);
        if (p == null) {
            return T.cast(T.floor(T.mul(u, T.cast(T.asTensorVariable(a), DType.FLOAT64))), dtype);
        }
        Variable cdf = T.cumsum(T.cast(T.asTensorVariable(p), DType.FLOAT64), 0);
        // index = number of cumulative probabilities <= u
        Variable ue = T.dimshuffle(u, expandLast(size.length));
        Variable le = T.le(T.dimshuffle(cdf, leadingAxes(size.length)), ue);
        return T.cast(T.sum(T.cast(le, DType.INT64), new int[] {size.length}, false), dtype);
    }

    /** permutation(n): a random ordering of 0..n-1 (the argsort of n uniforms). */
    public Variable permutation(Object n, DType dtype) {
        Variable u = draw(RandomVariable.Distribution.UNIFORM, DType.FLOAT64, new Object[] {n});
        return T.cast(T.argsort(u, 0), dtype);
    }

    private static int[] expandLast(int ndim) {
        int[] p = new int[ndim + 1];
        for (int i = 0; i < ndim; i++) {
            p[i] = i;
        }
        p[ndim] = DimShuffle.NEW_AXIS;
        return p;
    }

    private static int[] leadingAxes(int count) {
        int[] p = new int[count + 1];
        for (int i = 0; i < count; i++) {
            p[i] = DimShuffle.NEW_AXIS;
        }
        p[count] = 0;
        return p;
    }

    /**
     * size=None with tensor parameters draws one value per element of their broadcast shape, as
     * Theano does; a single draw broadcast over them would give every element the same value.
     */
    private static Object[] sizeOrParamShape(Object[] size, Variable a, Variable b) {
        if (size.length > 0 || (a.ndim() == 0 && b.ndim() == 0)) {
            return size;
        }
        Variable both = T.add(a, b);
        Object[] shape = new Object[both.ndim()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = T.shapeI(both, i);
        }
        return shape;
    }

    /**
     * {@code p} if it broadcasts to the draw's shape without enlarging it (NumPy's rule for a
     * distribution parameter against {@code size}); otherwise an error naming the distribution,
     * where the Elemwise that scales the draw would report its own shapes or silently widen them.
     */
    private static Variable fitting(String dist, String what, Variable p, Variable draw) {
        int k = draw.ndim();
        boolean ok = p.ndim() <= k;
        for (int i = 0; ok && i < p.ndim(); i++) {
            int pd = p.type().dim(p.ndim() - 1 - i);
            int sd = draw.type().dim(k - 1 - i);
            ok = pd == 1 || pd == TensorType.UNKNOWN || sd == TensorType.UNKNOWN || pd == sd;
        }
        if (!ok) {
            throw TslException.valueError(dist + ": " + what + " of type " + p.type() + " does not broadcast to the size "
                    + draw.type().shapeString());
        }
        return p;
    }

    private static Variable param(Object v, DType dtype) {
        if (v instanceof Variable var) {
            return var;
        }
        return T.constant(v, dtype);
    }
}
