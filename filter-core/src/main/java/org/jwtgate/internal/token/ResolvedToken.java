package org.jwtgate.internal.token;

/**
 * The outcome of looking for a token: none, one (with where it came from), or a malformed
 * request. {@link #toString()} never shows the token.
 */
public final class ResolvedToken {

    /** What the request carried. */
    public enum Kind { ABSENT, PRESENT, MALFORMED }

    private static final ResolvedToken ABSENT = new ResolvedToken(Kind.ABSENT, null, null);
    private static final ResolvedToken MALFORMED = new ResolvedToken(Kind.MALFORMED, null, null);

    private final Kind kind;
    private final String token;
    private final TokenSource source;

    private ResolvedToken(Kind kind, String token, TokenSource source) {
        this.kind = kind;
        this.token = token;
        this.source = source;
    }

    public static ResolvedToken absent() {
        return ABSENT;
    }

    public static ResolvedToken malformed() {
        return MALFORMED;
    }

    public static ResolvedToken present(String token, TokenSource source) {
        return new ResolvedToken(Kind.PRESENT, token, source);
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
        return "ResolvedToken[" + kind + (source != null ? ", " + source : "") + "]";
    }
}
