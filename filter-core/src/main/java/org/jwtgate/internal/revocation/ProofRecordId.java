package org.jwtgate.internal.revocation;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The id a DPoP proof's record carries: the request's, while a scope of it is open on this thread. Every JwtGate
 * verifying the same request (two filters on one path, the filter and the Jakarta Authentication module) then finds
 * the record its own, a first use, while another request's check of the same proof, a replay, finds another id.
 * Outside a scope each call gets an id of its own.
 *
 * <pre>{@code
 * ProofRecordId id = ProofRecordId.fresh();   // once per request, kept with it
 * RequestDeadline.Scope scope = id.open();
 * try {
 *     ... verify the request's proof ...
 * } finally {
 *     scope.close();
 * }
 * }</pre>
 */
public final class ProofRecordId {

    private static final ThreadLocal<ProofRecordId> CURRENT = new ThreadLocal<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value;

    private ProofRecordId(String value) {
        this.value = value;
    }

    /** A new id: 128 random bits, which no other request's can be. */
    public static ProofRecordId fresh() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return new ProofRecordId(Base64.getUrlEncoder().withoutPadding().encodeToString(id));
    }

    /** The id {@link #currentOrFresh()} gave a request, for a record written for it later. */
    static ProofRecordId of(String value) {
        return new ProofRecordId(value);
    }

    /**
     * The id {@link #value()} wrote, read back from a request attribute, or null when {@code value} is not one (not
     * 22 characters of base64url). A String, not this class, crosses between front ends: the Jakarta Authentication
     * module in the container's {@code lib} and the filter in the application's {@code WEB-INF/lib} each have their
     * own copy of this class, and neither would recognise the other's instance.
     */
    public static ProofRecordId parse(Object value) {
        if (!(value instanceof String text) || text.length() != 22) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return null;
            }
        }
        return new ProofRecordId(text);
    }

    /** The id as text (22 characters of base64url): what a request attribute carries between front ends. */
    public String value() {
        return value;
    }

    /** Makes this the id of the records this thread writes until the scope closes (then the one before it again). */
    public RequestDeadline.Scope open() {
        ProofRecordId before = CURRENT.get();
        CURRENT.set(this);
        return before == null ? CURRENT::remove : () -> CURRENT.set(before);
    }

    /** The id of the scope open on this thread; outside one, a new id for this call alone. */
    public static String currentOrFresh() {
        ProofRecordId id = CURRENT.get();
        return (id == null ? fresh() : id).value;
    }
}
