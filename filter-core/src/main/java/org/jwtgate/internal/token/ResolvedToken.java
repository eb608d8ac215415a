package org.jwtgate.internal.token;

/**
 * The outcome of looking for a token: none, one (with where it came from and the scheme it came
 * with), or a malformed request. {@link #toString()} never shows the token.
 */
public final class ResolvedToken {

    /** What the request carried. */
    public enum Kind { ABSENT, PRESENT, MALFORMED }

    /** The authentication scheme: {@code Bearer} (RFC 6750; the cookie counts as bearer) or {@code DPoP} (RFC 9449). */
    public enum Scheme { BEARER, DPOP }

    private static final ResolvedToken ABSENT = new ResolvedToken(Kind.ABSENT, null, null, Scheme.BEARER);
    private static final ResolvedToken MALFORMED = new ResolvedToken(Kind.MALFORMED, null, null, Scheme.BEARER);
    private static final ResolvedToken MALFORMED_DPOP = new ResolvedToken(Kind.MALFORMED, null, null, Scheme.DPOP);

    private final Kind kind;
    private final String token;
    private final TokenSource source;
    private final Scheme scheme;

    private ResolvedToken(Kind kind, String token, TokenSource source, Scheme scheme) {
        this.kind = kind;
        this.token = token;
        this.source = source;
        this.scheme = scheme;
    }

    public static ResolvedToken absent() {
        return ABSENT;
    }

    public static ResolvedToken malformed() {
        return MALFORMED;
    }

    /** A malformed request whose header named the given scheme. */
    public static ResolvedToken malformed(Scheme scheme) {
        return scheme == Scheme.DPOP ? MALFORMED_DPOP : MALFORMED;
    }

    /** A bearer token. */
    public static ResolvedToken present(String token, TokenSource source) {
        return new ResolvedToken(Kind.PRESENT, token, source, Scheme.BEARER);
    }

    /** {@code Authorization: DPoP <token>}: a token that must come with a DPoP proof. */
    public static ResolvedToken presentDpop(String token) {
        return new ResolvedToken(Kind.PRESENT, token, TokenSource.HEADER, Scheme.DPOP);
    }

    /** The scheme the token came with; {@code BEARER} for the cookie and for requests without a token. */
    public Scheme scheme() {
        return scheme;
    }

    public Kind kind() {
        return kind;
    }

    public String token() {
        return token;
    }

    public TokenSource source() {
        return source;
    }

    @Override
    public String toString() {
        return "ResolvedToken[" + kind + (source != null ? ", " + source : "") + (scheme == Scheme.DPOP ? ", DPoP" : "") + "]";
    }
}
