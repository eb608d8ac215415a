package org.jwtgate.internal.revocation.nearcache;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-size Bloom filter over strings: "certainly absent" or "maybe present". Small by design
 * (a power of two of bits, {@value #HASHES} probes derived from one 64-bit hash, Kirsch–Mitzenmacher),
 * written here rather than pulled in as a dependency. A false positive only costs the caller a Redis
 * read, so a non-cryptographic hash is enough; a key crafted to collide gains nothing but that read.
 *
 * <p>Writers must be serialised by the caller; readers may run concurrently (the words are read and
 * written with volatile semantics).
 */
final class BloomFilter {

    static final int HASHES = 6;

    private final AtomicLongArray words;
    private final long bitMask;

    /** @param bits a power of two, at least 64 */
    BloomFilter(long bits) {
        if (bits < 64 || Long.bitCount(bits) != 1 || bits / 64 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bits must be a power of two from 64: " + bits);
        }
        this.words = new AtomicLongArray((int) (bits / 64));
        this.bitMask = bits - 1;
    }

    /** Bits for about {@code perEntry} bits per expected entry, rounded up to a power of two, within bounds. */
    static long bitsFor(long expectedEntries, int perEntry, long maxBits) {
        long wanted = Math.max(1024, Math.min(maxBits, expectedEntries * perEntry));
        return Long.highestOneBit(wanted - 1) << 1;
    }

    void add(String key) {
        long hash = hash64(key);
        int h1 = (int) hash;
        int h2 = (int) (hash >>> 32) | 1;
        for (int i = 0; i < HASHES; i++) {
            long bit = (h1 + (long) i * h2) & bitMask;
            int word = (int) (bit >>> 6);
            words.set(word, words.get(word) | (1L << bit));
        }
    }

    boolean mightContain(String key) {
        long hash = hash64(key);
        int h1 = (int) hash;
        int h2 = (int) (hash >>> 32) | 1;
        for (int i = 0; i < HASHES; i++) {
            long bit = (h1 + (long) i * h2) & bitMask;
            if ((words.get((int) (bit >>> 6)) & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    long bits() {
        return bitMask + 1;
    }

    /**
     * About how many distinct keys were added, from the share of bits set (Swamidass and Baldi: n = −(m/k)·ln(1 − X/m)):
     * within a few percent up to several times the keys the filter was sized for, where counting the keys that seemed
     * absent when added misses those a fuller filter already seemed to hold. Infinite once every bit is set. Reads every
     * word: for statistics, not for the request path.
     */
    double estimatedKeys() {
        long set = 0;
        for (int i = 0; i < words.length(); i++) {
            set += Long.bitCount(words.get(i));
        }
        long bits = bits();
        return set >= bits ? Double.POSITIVE_INFINITY : -((double) bits / HASHES) * Math.log1p(-(double) set / bits);
    }

    /** FNV-1a over the UTF-16 units, finished with MurmurHash3's fmix64 so both halves are well mixed. */
    static long hash64(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
