package tsl.language.builtins.random;

import java.math.BigInteger;

/**
 * CPython's random.Random over MT19937, draw for draw: seeding from an int through
 * init_by_array of its 32-bit words, random(), getrandbits and the _randbelow rejection loop
 * that randrange, choice, shuffle and sample are built on, and gauss with its cached value.
 */
public final class PyRandom {
    private final MT19937 mt = new MT19937();
    private Double gaussNext;

    public PyRandom(BigInteger seed) {
        seed(seed);
    }

    /** random.seed(int): the absolute value split into 32-bit words, least significant first. */
    public void seed(BigInteger seed) {
        BigInteger a = seed.abs();
        int words = Math.max(1, (a.bitLength() + 31) / 32);
        int[] key = new int[words];
        for (int i = 0; i < words; i++) {
            key[i] = a.shiftRight(32 * i).intValue();
        }
        mt.initByArray(key);
        gaussNext = null;
    }

    public double random() {
        return mt.nextDouble();
    }

    /** getrandbits(k): k random bits from 32-bit words, the last word's low bits dropped. */
    public BigInteger getrandbits(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("number of bits must be non-negative");
        }
        if (k == 0) {
            return BigInteger.ZERO;
        }
        if (k <= 32) {
            return BigInteger.valueOf(mt.nextUint32() >>> (32 - k));
        }
        BigInteger r = BigInteger.ZERO;
        int shift = 0;
        for (int left = k; left > 0; left -= 32, shift += 32) {
            long w = mt.nextUint32();
            if (left < 32) {
                w >>>= 32 - left;
            }
            r = r.or(BigInteger.valueOf(w).shiftLeft(shift));
        }
        return r;
    }

    /** _randbelow_with_getrandbits(n): a uniform value in [0, n). */
    public BigInteger randbelow(BigInteger n) {
        int k = n.bitLength();
        BigInteger r = getrandbits(k);
        while (r.compareTo(n) >= 0) {
            r = getrandbits(k);
        }
        return r;
    }

    public long randbelow(long n) {
        if (n <= 0) {
            return 0;
        }
        int k = 64 - Long.numberOfLeadingZeros(n);
        if (k <= 32) {
            long r = mt.nextUint32() >>> (32 - k);
            while (r >= n) {
                r = mt.nextUint32() >>> (32 - k);
            }
            return r;
        }
        return randbelow(BigInteger.valueOf(n)).longValueExact();
    }

    /** gauss(mu, sigma): Box-Muller pairs, the second value kept for the next call. */
    public double gauss(double mu, double sigma) {
        Double z = gaussNext;
        gaussNext = null;
        if (z == null) {
            double x2pi = random() * (2 * Math.PI);
            double g2rad = Math.sqrt(-2.0 * LibM.log(1.0 - random()));
            z = LibM.cos(x2pi) * g2rad;
            gaussNext = LibM.sin(x2pi) * g2rad;
        }
        return mu + z * sigma;
    }

    private static final double NV_MAGICCONST = 4 * LibM.exp(-0.5) / Math.sqrt(2.0);

    /** normalvariate(mu, sigma): Kinderman and Monahan's ratio-of-uniforms method. */
    public double normalvariate(double mu, double sigma) {
        double z;
        while (true) {
            double u1 = random();
            double u2 = 1.0 - random();
            z = NV_MAGICCONST * (u1 - 0.5) / u2;
            double zz = z * z / 4.0;
            if (zz <= -LibM.log(u2)) {
                break;
            }
        }
        return mu + z * sigma;
    }
}
