package tsl.language.builtins.random;

/**
 * NumPy's legacy RandomState samplers over MT19937, draw for draw: seeding, the 53-bit
 * double, the polar Gaussian that caches its second value, masked rejection sampling for
 * bounded integers, and the interval draw that shuffle uses.
 */
public final class LegacyRandom {
    private final MT19937 mt = new MT19937();
    private boolean hasGauss;
    private double gauss;

    public LegacyRandom(long seed) {
        seed(seed);
    }

    /** RandomState.seed(int): init_genrand on the 32-bit seed, and the cached Gaussian dropped. */
    public void seed(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("Seed must be between 0 and 2**32 - 1");
        }
        mt.initGenrand((int) seed);
        hasGauss = false;
        gauss = 0;
    }

    /** RandomState.seed(array): init_by_array on the values, each taken as 32 bits. */
    public void seedArray(long[] key) {
        int[] k = new int[key.length];
        for (int i = 0; i < key.length; i++) {
            if (key[i] < 0 || key[i] > 0xffffffffL) {
                throw new IllegalArgumentException("Seed must be between 0 and 2**32 - 1");
            }
            k[i] = (int) key[i];
        }
        mt.initByArray(k);
        hasGauss = false;
        gauss = 0;
    }

    public double nextDouble() {
        return mt.nextDouble();
    }

    public long nextUint32() {
        return mt.nextUint32();
    }

    /** legacy_gauss: Marsaglia's polar method; every other call returns the cached value. */
    public double gauss() {
        if (hasGauss) {
            hasGauss = false;
            double g = gauss;
            gauss = 0;
            return g;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * mt.nextDouble() - 1.0;
            x2 = 2.0 * mt.nextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * LibM.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    private static long mask(long rng) {
        long m = rng;
        m |= m >>> 1;
        m |= m >>> 2;
        m |= m >>> 4;
        m |= m >>> 8;
        m |= m >>> 16;
        m |= m >>> 32;
        return m;
    }

    /** random_interval(max): a uniform draw from 0..max by masked rejection (shuffle's draw). */
    public long interval(long max) {
        if (max == 0) {
            return 0;
        }
        long m = mask(max);
        long v;
        if (Long.compareUnsigned(max, 0xffffffffL) <= 0) {
            while ((v = mt.nextUint32() & m) > max) {
                // rejected: draw again
            }
        } else {
            while (Long.compareUnsigned(v = mt.nextUint64() & m, max) > 0) {
                // rejected: draw again
            }
        }
        return v;
    }

    /**
     * Bounded integers for randint: off + a value in 0..rng (inclusive), drawn as NumPy's
     * random_bounded_uint64/uint32_fill do with masking. {@code bits} is the width of the
     * requested dtype: 8- and 16-bit dtypes take their draws from a buffered 32-bit word.
     */
    public long[] bounded(long off, long rng, int count, int bits) {
        long[] out = new long[count];
        if (rng == 0) {
            java.util.Arrays.fill(out, off);
            return out;
        }
        long m = mask(rng);
        if (bits == 64 && Long.compareUnsigned(rng, 0xffffffffL) > 0) {
            for (int i = 0; i < count; i++) {
                long v;
                if (rng == -1L) {
                    v = mt.nextUint64();
                } else {
                    while (Long.compareUnsigned(v = mt.nextUint64() & m, rng) > 0) {
                        // rejected
                    }
                }
                out[i] = off + v;
            }
            return out;
        }
        if (bits >= 32) {
            for (int i = 0; i < count; i++) {
                long v;
                if (rng == 0xffffffffL) {
                    v = mt.nextUint32();
                } else {
                    while ((v = mt.nextUint32() & m) > rng) {
                        // rejected
                    }
                }
                out[i] = off + v;
            }
            return out;
        }
        // 8/16-bit dtypes (and bool): several draws per 32-bit word, low bits first
        int perWord = 32 / bits;
        long wordMask = (1L << bits) - 1;
        int left = 0;
        long buf = 0;
        for (int i = 0; i < count; i++) {
            long v;
            do {
                if (left == 0) {
                    buf = mt.nextUint32();
                    left = perWord - 1;
                } else {
                    buf >>>= bits;
                    left--;
                }
                v = buf & wordMask & m;
            } while (rng != wordMask && v > rng);
            out[i] = off + v;
        }
        return out;
    }

    // the binomial sampler's cache of its set-up for the last (n, p), as NumPy's binomial_t keeps it
    private boolean hasBinomial;
    private long nSave;
    private double pSave;
    private double bq;
    private double br;
    private long bm;

    /**
     * random_binomial for n * min(p, 1 - p) <= 30: the inversion algorithm NumPy uses there
     * (BTPE above that is not implemented: the caller fails loudly).
     */
    public long binomial(long n, double p) {
        if (n == 0 || p == 0.0) {
            return 0;
        }
        if (p <= 0.5) {
            return binomialInversion(n, p);
        }
        return n - binomialInversion(n, 1.0 - p);
    }

    /** Whether {@link #binomial} can draw for these parameters (inversion range). */
    public static boolean binomialByInversion(long n, double p) {
        return n == 0 || p == 0.0 || (p <= 0.5 ? p * n : (1.0 - p) * n) <= 30.0;
    }

    private long binomialInversion(long n, double p) {
        double q;
        double qn;
        long bound;
        if (!hasBinomial || nSave != n || pSave != p) {
            nSave = n;
            pSave = p;
            hasBinomial = true;
            bq = q = 1.0 - p;
            br = qn = LibM.exp(n * LibM.log(q));
            double np = n * p;
            bm = bound = (long) Math.min(n, np + 10.0 * Math.sqrt(np * q + 1));
        } else {
            q = bq;
            qn = br;
            bound = bm;
        }
        long x = 0;
        double px = qn;
        double u = mt.nextDouble();
        while (u > px) {
            x++;
            if (x > bound) {
                x = 0;
                px = qn;
                u = mt.nextDouble();
            } else {
                u -= px;
                px = ((n - x + 1) * p * px) / (x * q);
            }
        }
        return x;
    }
}
