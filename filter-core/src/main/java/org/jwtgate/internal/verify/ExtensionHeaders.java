package org.jwtgate.internal.verify;

import java.util.List;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwx.Headers;
import org.jose4j.lang.JoseException;

/**
 * Finds the JWS header members JwtGate refuses in tokens and DPoP proofs: {@code crit} (it honours no
 * extension, RFC 7515 §4.1.11), {@code b64} (RFC 7797: it changes what the signature covers) and
 * {@code zip}. A member counts whatever its value, {@code null} included: {@code "crit": null} is no
 * valid header either.
 */
final class ExtensionHeaders {

    private static final List<String> NAMES = List.of("crit", "b64", "zip");

    private ExtensionHeaders() {
    }

    static boolean present(Headers headers) {
        for (String name : NAMES) {
            if (headers.getObjectHeaderValue(name) != null) {
                return true;
            }
        }
        // A member set to null reads as absent above. Parsing the header again costs a buffer per
        // parse, so it happens only when the text could name one: quoted, or spelled with escapes.
        String json = headers.getFullHeaderAsJsonString();
        if (json.indexOf('\\') < 0 && NAMES.stream().noneMatch(name -> json.contains('"' + name + '"'))) {
            return false;
        }
        try {
            return JsonUtil.parseJson(json).keySet().stream().anyMatch(NAMES::contains);
        } catch (JoseException e) {
            return true; // jose4j parsed this text once already; refuse rather than guess
        }
    }
}
