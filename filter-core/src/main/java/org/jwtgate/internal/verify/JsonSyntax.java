package org.jwtgate.internal.verify;

import java.io.IOException;
import java.util.Arrays;

/**
 * Whether a text is JSON text by RFC 8259's grammar, checked before jose4j's parser reads a JWKS, a token's header and
 * claims or a DPoP proof's ({@link JwsJsonSegments}): that parser is lenient, and took a set without its colons and
 * commas, or with trailing commas, single quotes or comments, though a fetch refuses "a set that is not UTF-8 JSON
 * text". One pass, in linear time and without recursion (a set of arrays
 * nested half a million deep is checked in a loop, not on the stack). A refusal names the offset only, never the
 * content: a set may hold a private key published by mistake.
 */
final class JsonSyntax {

    private static final byte ARRAY = 1;
    private static final byte OBJECT = 2;

    private JsonSyntax() {
    }

    /**
     * @param text the decoded text (UTF-8 checked, a byte-order mark left out)
     * @throws IOException naming what was expected and the offset where it was not found
     */
    static void check(String text) throws IOException {
        int n = text.length();
        byte[] open = new byte[32];
        int depth = 0;
        int i = 0;
        value:
        while (true) {
            i = skipWhitespace(text, i);
            if (i >= n) {
                throw refused("the text ends where a value is expected", i);
            }
            char c = text.charAt(i);
            if (c == '{' || c == '[') {
                if (depth == open.length) {
                    open = Arrays.copyOf(open, depth * 2);
                }
                open[depth++] = c == '{' ? OBJECT : ARRAY;
                i = skipWhitespace(text, i + 1);
                if (i < n && text.charAt(i) == (c == '{' ? '}' : ']')) {
                    depth--;
                    i++;
                } else {
                    if (c == '{') {
                        i = memberName(text, i);
                    }
                    continue value;
                }
            } else if (c == '"') {
                i = string(text, i);
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                i = number(text, i);
            } else if (text.startsWith("true", i)) {
                i += 4;
            } else if (text.startsWith("false", i)) {
                i += 5;
            } else if (text.startsWith("null", i)) {
                i += 4;
            } else {
                throw refused("a value expected", i);
            }
            // A value ended: what follows it closes its arrays and objects, or a comma starts the next.
            while (true) {
                i = skipWhitespace(text, i);
                if (depth == 0) {
                    if (i < n) {
                        throw refused("text after the value", i);
                    }
                    return;
                }
                boolean inObject = open[depth - 1] == OBJECT;
                if (i >= n) {
                    throw refused("the text ends inside " + (inObject ? "an object" : "an array"), i);
                }
                char next = text.charAt(i);
                if (next == ',') {
                    i = skipWhitespace(text, i + 1);
                    if (inObject) {
                        i = memberName(text, i);
                    }
                    continue value;
                }
                if (next != (inObject ? '}' : ']')) {
                    throw refused(inObject ? "',' or '}' expected" : "',' or ']' expected", i);
                }
                depth--;
                i++;
            }
        }
    }

    /** A member's name and its colon, from {@code i}; returns the offset after the colon. */
    private static int memberName(String text, int i) throws IOException {
        if (i >= text.length() || text.charAt(i) != '"') {
            throw refused("a member name expected", i);
        }
        i = skipWhitespace(text, string(text, i));
        if (i >= text.length() || text.charAt(i) != ':') {
            throw refused("':' expected", i);
        }
        return i + 1;
    }

    /** A string from its opening quote at {@code i}; returns the offset after its closing quote. */
    private static int string(String text, int i) throws IOException {
        int n = text.length();
        int j = i + 1;
        while (true) {
            if (j >= n) {
                throw refused("the text ends inside a string", j);
            }
            char c = text.charAt(j);
            if (c == '"') {
                return j + 1;
            }
            if (c < 0x20) {
                throw refused("a control character not escaped in a string", j);
            }
            if (c == '\\') {
                if (j + 1 >= n) {
                    throw refused("the text ends inside a string", j + 1);
                }
                char escaped = text.charAt(j + 1);
                if (escaped == 'u') {
                    for (int k = j + 2; k < j + 6; k++) {
                        if (k >= n || !isHexDigit(text.charAt(k))) {
                            throw refused("a \\u escape without four hexadecimal digits", j);
                        }
                    }
                    j += 6;
                    continue;
                }
                if ("\"\\/bfnrt".indexOf(escaped) < 0) {
                    throw refused("an escape that JSON has not", j);
                }
                j += 2;
                continue;
            }
            j++;
        }
    }

    /** A number from {@code i}: {@code -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?}. */
    private static int number(String text, int i) throws IOException {
        int start = i;
        int n = text.length();
        if (text.charAt(i) == '-') {
            i++;
        }
        if (i < n && text.charAt(i) == '0') {
            i++;
        } else {
            int digits = digits(text, i);
            if (digits == i) {
                throw refused("a malformed number", start);
            }
            i = digits;
        }
        if (i < n && text.charAt(i) == '.') {
            int digits = digits(text, i + 1);
            if (digits == i + 1) {
                throw refused("a malformed number", start);
            }
            i = digits;
        }
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int digits = digits(text, i);
            if (digits == i) {
                throw refused("a malformed number", start);
            }
            i = digits;
        }
        return i;
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int digits(String text, int i) {
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private static int skipWhitespace(String text, int i) {
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return i;
            }
            i++;
        }
        return i;
    }

    private static IOException refused(String what, int offset) {
        return new IOException("not JSON text (RFC 8259): " + what + " at offset " + offset);
    }
}
