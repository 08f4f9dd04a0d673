package tsl.ops.random;

/**
 * Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3"): a counter-based
 * generator. Block {@code i} of a stream depends only on the key and the counter, so any
 * element can be computed independently — the CPU loop here and a CUDA kernel produce the
 * same stream for a seed.
 */
public final class Philox {
    private static final long M0 = 0xD2511F53L;
    private static final long M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final long MASK = 0xFFFFFFFFL;

    private Philox() {}

    /** The four 32-bit words of block {@code ctrLo}/{@code ctrHi} (64 bits each) under the 64-bit key. */
    public static void block(long key, long ctrLo, long ctrHi, int[] out) {
        int c0 = (int) ctrLo;
        int c1 = (int) (ctrLo >>> 32);
        int c2 = (int) ctrHi;
        int c3 = (int) (ctrHi >>> 32);
        int k0 = (int) key;
        int k1 = (int) (key >>> 32);
        for (int round = 0; round < 10; round++) {
            long p0 = M0 * (c0 & MASK);
            long p1 = M1 * (c2 & MASK);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
            k0 += W0;
            k1 += W1;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /** A double in [0, 1) from two words (53 random bits). */
    public static double unitDouble(int a, int b) {
        return ((a >>> 5) * 67108864.0 + (b >>> 6)) * 0x1.0p-53;
    }

    /** A float in [0, 1) from one word (24 random bits). */
    public static float unitFloat(int a) {
        return (a >>> 8) * 0x1.0p-24f;
    }

    /** Mixes a seed and a stream index into a key (SplitMix64's finalizer), so nearby seeds give unrelated streams. */
    public static long key(long seed, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
