package org.jwtgate.sample.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * The fields of a POST body: {@code application/x-www-form-urlencoded} or {@code application/json}
 * (an object of strings). Only the body counts, never the query string (passwords do not belong
 * in URLs and logs). Bodies are capped before parsing.
 */
public final class RequestBody {

    public static final int MAX_BYTES = 8 * 1024;

    private RequestBody() {
    }

    /** @throws BadRequestException for another content type, a malformed or oversized body, or a non-string field */
    public static Map<String, String> read(HttpServletRequest request) throws IOException {
        String mediaType = mediaType(request);
        String body = text(request);
        if (body.isEmpty()) {
            return Map.of();
        }
        return switch (mediaType) {
            case JSON -> json(body);
            case FORM -> form(body);
            default -> throw new BadRequestException(415, "Send application/json or application/x-www-form-urlencoded");
        };
    }

    static final String JSON = "application/json";
    static final String FORM = "application/x-www-form-urlencoded";

    /**
     * The Content-Type's media type, lower-case ("" for none). The raw header: Jetty's getContentType() resolves its
     * charset and throws (a 500) for one it does not know. The body is read as UTF-8 whatever it names (RFC 8259 §8.1;
     * a form's bytes are percent-encoded UTF-8).
     */
    static String mediaType(HttpServletRequest request) {
        String contentType = request.getHeader("Content-Type");
        return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    /** The body as UTF-8 text, capped. @throws BadRequestException when longer than the cap or not UTF-8 */
    static String text(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BYTES) {
            throw new BadRequestException(413, "The request body is too large");
        }
        byte[] bytes = upToCap(request);
        if (bytes.length > MAX_BYTES) {
            throw new BadRequestException(413, "The request body is too large");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadRequestException("The request body is not UTF-8");
        }
    }

    /** The body's first {@code MAX_BYTES + 1} bytes at most: more than {@code MAX_BYTES} says it goes past the cap. */
    static byte[] upToCap(HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            return in.readNBytes(MAX_BYTES + 1);
        }
    }

    /** A JSON object's members. @throws BadRequestException when the body is not a JSON object */
    static Map<String, Object> jsonObject(String body) {
        Map<String, Object> parsed;
        try {
            parsed = JsonUtil.parseJson(body);
        } catch (JoseException | RuntimeException e) {
            throw new BadRequestException("The request body is not a JSON object");
        }
        if (parsed == null) {
            throw new BadRequestException("The request body is not a JSON object");
        }
        return parsed;
    }

    private static Map<String, String> json(String body) {
        Map<String, Object> parsed = jsonObject(body);
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : parsed.entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            if (!(entry.getValue() instanceof String text)) {
                throw new BadRequestException("Field [" + safeName(entry.getKey()) + "] must be a string");
            }
            fields.put(entry.getKey(), text);
        }
        return fields;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                if (fields.putIfAbsent(name, value) != null) {
                    throw new BadRequestException("Field [" + safeName(name) + "] is given twice");
                }
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("The form body is not properly URL-encoded");
            }
        }
        return fields;
    }

    /** A field name fit to echo in an error: short and plain, else a placeholder. */
    private static String safeName(String name) {
        return name.matches("[A-Za-z0-9_]{1,32}") ? name : "?";
    }
}
