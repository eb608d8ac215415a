package org.jwtgate.internal.verify;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8259's grammar, checked before jose4j's lenient parser reads a JWKS. */
class JsonSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"{}", " { \"keys\" : [ ] } ", "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"q\\u00e9\\\"\\\\\\/\\b\\f\\n\\r\\t\"}]}",
        "[1,-0,0.5,-1.25e+10,3E-2,1e5,true,false,null,\"\",[],{}]", "\"text\"", "0", "-12.5e7", "\t\r\n[\t1\r\n]\n",
        "{\"a\":{\"b\":{\"c\":[[[]]]}}}", "\"\uD83D\uDE00 caf\u00e9\""})
    void whenTheTextIsJsonThenItPasses(String text) {
        assertDoesNotThrow(() -> JsonSyntax.check(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{\"keys\" []}", "{\"a\":1,}", "[1,]", "[1 2]", "{\"a\" \"b\"}", "{'a':1}",
        "{a:1}", "[01]", "[1.]", "[.5]", "[+1]", "[1e]", "[-]", "[NaN]", "[Infinity]", "[tru]", "[nul]", "[True]",
        "{\"a\":1}}", "{\"a\":1} x", "[", "{", "[1", "{\"a\"", "{\"a\":", "\"open", "[\"\\x\"]", "[\"\\u12G4\"]",
        "[\"\\u12\"]", "{,}", "[,]", "{\"a\":1,,\"b\":2}", "{\"a\":1 \"b\":2}", "[1]]", "{]", "[}", "/* c */ {}",
        "{} // c", "[0x10]", "{\"a\"::1}", "[\"a\",]"})
    void whenTheTextIsNoJsonThenItIsRefused(String text) {
        assertThrows(IOException.class, () -> JsonSyntax.check(text));
    }

    @Test
    void whenAStringHoldsARawControlCharacterThenItIsRefused() {
        assertThrows(IOException.class, () -> JsonSyntax.check("[\"a\u0001b\"]"));
        assertThrows(IOException.class, () -> JsonSyntax.check("[\"a\nb\"]"));
    }

    @Test
    void whenTheTextIsRefusedThenTheMessageNamesThePositionAndNotTheContent() {
        IOException refused = assertThrows(IOException.class,
                () -> JsonSyntax.check("{\"kty\" \"secret-value\"}"));
        assertTrue(refused.getMessage().contains("offset 7"), refused.getMessage());
        assertFalse(refused.getMessage().contains("secret-value"), refused.getMessage());
        assertFalse(refused.getMessage().contains("kty"), refused.getMessage());
    }

    /** No recursion: nesting deeper than any stack holds is checked in a loop, valid or not. */
    @Test
    void whenTheNestingIsHalfAMillionDeepThenItIsCheckedWithoutOverflowingTheStack() {
        int depth = 500_000;
        String open = "[{\"a\":".repeat(depth / 2);
        String close = "}]".repeat(depth / 2);
        assertDoesNotThrow(() -> JsonSyntax.check(open + "1" + close));
        IOException refused = assertThrows(IOException.class, () -> JsonSyntax.check(open + "1" + close + "]"));
        assertTrue(refused.getMessage().contains("offset " + (open.length() + 1 + close.length())),
                refused.getMessage());
        assertThrows(IOException.class, () -> JsonSyntax.check(open + "1"));
    }
}
