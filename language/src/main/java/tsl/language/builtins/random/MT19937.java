package tsl.language.builtins.random;

/**
 * The Mersenne Twister MT19937 (Matsumoto and Nishimura), the bit generator behind both
 * NumPy's legacy RandomState and CPython's random module; both seed it with the reference
 * init_genrand / init_by_array, so the same seed gives the same 32-bit stream in each.
 */
public final class MT19937 {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER = 0x80000000;
    private static final int LOWER = 0x7fffffff;

    private final int[] mt = new int[N];
    private int pos = N;

    /** The reference init_genrand(s). */
    public void initGenrand(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        pos = N;
    }

    /** The reference init_by_array(key): how CPython seeds from an int and NumPy from an array. */
    public void initByArray(int[] key) {
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        int len = Math.max(1, key.length);
        for (int k = Math.max(N, key.length); k > 0; k--) {
            int kj = key.length == 0 ? 0 : key[j];
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + kj + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= len) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000;
        pos = N;
    }

    private void generate() {
        for (int k = 0; k < N; k++) {
            int y = (mt[k] & UPPER) | (mt[(k + 1) % N] & LOWER);
            mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        pos = 0;
    }

    /** The next 32 random bits, as an unsigned value. */
    public long nextUint32() {
        if (pos >= N) {
            generate();
        }
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    /** Two 32-bit outputs, the first one high: NumPy's next_uint64 for MT19937. */
    public long nextUint64() {
        long hi = nextUint32();
        return (hi << 32) | nextUint32();
    }

    /** A double in [0, 1) with 53 random bits: genrand_res53, shared by NumPy and CPython. */
    public double nextDouble() {
        long a = nextUint32() >>> 5;
        long b = nextUint32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }
}
