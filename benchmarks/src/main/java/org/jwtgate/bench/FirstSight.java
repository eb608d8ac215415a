package org.jwtgate.bench;

/**
 * How the "first sight" benchmarks make every token new to the verified-token cache: they cycle
 * through a pool of distinct tokens four times larger than the cache. The cache keeps two
 * generations of {@code capacity / 2} entries and drops the older one whole, so an entry is gone
 * after at most {@code capacity} later insertions; a token comes round again only after
 * {@code POOL_SIZE - 1} of them. Every lookup misses, and the measured cost is the real one of a
 * new token: digest, cache miss, parse, signature, claims checks, cache insert, revocation check.
 *
 * <p>{@code token.cache-size=0} would also force misses, but it skips the cache entirely and so
 * under-states what a first sight costs with the default configuration.
 */
public final class FirstSight {

    /** token.cache-size of the benchmarked gates (small, so the pool is minted in about a second). */
    public static final int CACHE_SIZE = 512;
    /** Distinct tokens cycled through; must exceed {@link #CACHE_SIZE} (see the class comment). */
    public static final int POOL_SIZE = 4 * CACHE_SIZE;

    private final String[] tokens;
    private int next;

    public FirstSight(TokenSigner signer) {
        this.tokens = signer.mintPool(POOL_SIZE).toArray(String[]::new);
    }

    /** The next token of the cycle. Not thread-safe: the benchmarks using it run one thread. */
    public String next() {
        String token = tokens[next];
        next = next + 1 == tokens.length ? 0 : next + 1;
        return token;
    }
}
