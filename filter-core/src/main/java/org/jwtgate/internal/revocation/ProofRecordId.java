package org.jwtgate.internal.revocation;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

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
     * The id {@link #attribute()} made, read back from a request attribute, or null when {@code value} is not one.
     * Neither this class nor a String crosses between front ends: the Jakarta Authentication module in the container's
     * {@code lib} and the filter in the application's {@code WEB-INF/lib} each have their own copy of this class, and
     * neither would recognise the other's instance; a String is what a container makes of a proxy's attributes (Tomcat's
     * AJP {@code allowedRequestAttributesPattern}) or an application of the client's input, and would let a replay pass
     * as checked on arrival. A {@link UUID}, the JDK's own class, is neither.
     */
    public static ProofRecordId parse(Object value) {
        if (!(value instanceof UUID id)) {
            return null;
        }
        byte[] bits = ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .array();
        return new ProofRecordId(Base64.getUrlEncoder().withoutPadding().encodeToString(bits));
    }

    /** The id as a request attribute carries it between front ends: its 128 bits as a {@link UUID} (see {@link #parse}). */
    public UUID attribute() {
        ByteBuffer bits = ByteBuffer.wrap(Base64.getUrlDecoder().decode(value));
        return new UUID(bits.getLong(), bits.getLong());
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
