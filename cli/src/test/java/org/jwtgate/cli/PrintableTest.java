package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How the CLI prints a claim, and reads back what it printed. */
class PrintableTest {

    @ParameterizedTest(name = "[{0}] prints as [{1}]")
    @CsvSource(delimiter = '|', value = {
            "alice|alice",
            "josé|josé",
            "DOMAIN\\user|DOMAIN\\user",
            "mallory\u200b|mallory\\u200b",
            "\ufeffalice|\\ufeffalice",
            "a\u00a0b|a\\u00a0b",
            "a\u2003b|a\\u2003b",
            "'bob '|bob\\u0020",
            "' bob'|\\u0020bob",
            "'a b'|a b",
            "a\ufffd|a\\ufffd",
            "al\u0001ice|al\\u0001ice",
            "a\u202eb|a\\u202eb",
            "alice\uDB40\uDC41|alice\\udb40\\udc41",
            "\u0645\u06CC\u200C\u062E|\u0645\u06CC\u200C\u062E",
            "a\\u00e9|a\\u00e9",
            "a\\u00E9|a\\u00E9",
            "a\\u200B|a\\u200B"})
    void whenPrintedThenEscapedAsDocumentedAndReadBack(String value, String printed) {
        assertEquals(printed, Printable.of(value));
        assertEquals(value, Printable.parse(printed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mallory\u200b", "bob ", " bob", "a\u00a0b", "a\u0085", "a\ufffd"})
    void whenWrittenOtherwiseThanPrintedThenNoValue(String written) {
        assertNull(Printable.parse(written));
    }

    /**
     * Every value prints as one form, which reads back as that value: an operator can name any sub status shows. (Not
     * one holding the text of an escape, as {@code a\\u200b}: printed as the sub "a" + U+200B is.)
     */
    @Test
    void whenRandomValuesArePrintedThenEachReadsBackAsItself() {
        Random random = new Random(20261206);
        String alphabet = "ab \\0{f}9\u200b\u200c\ufeff\u00a0\u0085\n\ufffd\ud800\udc00\udb40\udc41é";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder value = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String printed = Printable.of(value);
            assertEquals(value.toString(), Printable.parse(printed), printed);
        }
    }
}
