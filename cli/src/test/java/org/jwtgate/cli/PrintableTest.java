package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the CLI prints a claim, and reads back what it printed ({@code --escaped}). */
class PrintableTest {

    @ParameterizedTest(name = "[{0}] prints as [{1}]")
    @CsvSource(delimiter = '|', value = {
            "alice|alice",
            "josé|josé",
            "DOMAIN\\user|DOMAIN\\user",
            "DOMAIN\\u0123456|DOMAIN\\u005cu0123456",
            "CORP\\u0012345|CORP\\u005cu0012345",
            "CORP\u0012345|CORP\\u0012345",
            "mallory\u200b|mallory\\u200b",
            "\ufeffalice|\\ufeffalice",
            "a\u00a0b|a\\u00a0b",
            "a\u2003b|a\\u2003b",
            "'bob '|bob\\u0020",
            "' bob'|\\u0020bob",
            "'a b'|a\\u0020b",
            "'John \\u0041'|John\\u0020\\u005cu0041",
            "a\ufffd|a\\ufffd",
            "al\u0001ice|al\\u0001ice",
            "a\u202eb|a\\u202eb",
            "alice\uDB40\uDC41|alice\\udb40\\udc41",
            "\u0645\u06CC\u200C\u062E|\u0645\u06CC\\u200c\u062E",
            "admin\u200d|admin\\u200d",
            "admin\u2065|admin\\u2065",
            "eyJhbGciOiJub25lIn0.x.y|eyJhbGciOiJub25lIn0\\u002ex\\u002ey",
            "e30.x.y|e30.x.y"})
    void whenAClaimIsPrintedThenEscapedAsDocumentedAndDecodedBack(String value, String printed) {
        assertEquals(printed, Printable.claim(value));
        assertEquals(value, Printable.decode(printed));
    }

    @Test
    void whenAMessageIsPrintedThenItsBackslashesStayAsTheyAre() {
        // A library message quotes values it escaped itself (a line break as backslash, u, 000a): not escaped again.
        assertEquals("Illegal value [a\\u000ab]", Printable.of("Illegal value [a\\u000ab]"));
        assertEquals("two words", Printable.of("two words"), "a message's spaces are its own");
    }

    /** Every value prints as one form, which decodes back as that value: an operator can name any sub status shows. */
    @Test
    void whenRandomValuesArePrintedThenEachDecodesBackAsItself() {
        Random random = new Random(20261206);
        String alphabet = "\\\\uuu0aF9 b\u200b\u200c\ufeff\u00a0\u0085\n\ufffd\ud800\udc00\udb40\udc41é";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder value = new StringBuilder();
            for (int n = random.nextInt(14); n > 0; n--) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String printed = Printable.claim(value);
            assertEquals(value.toString(), Printable.decode(printed), printed);
        }
    }
}
