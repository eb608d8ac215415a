package org.jwtgate.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * --exp (the token's exp in epoch seconds) and --bits take ASCII digits only, as JwtGate's settings take a number
 * (SettingParser's WHOLE_NUMBER): Long.parseLong and Integer.parseInt, which they went through, also took a sign
 * ("+30") and Arabic-Indic or full-width digits.
 */
class NumericOptionDigitsTest {

    @Test
    void whenExpHasASignOrNonAsciiDigitsThenRefusedAsSettingsAre() {
        for (String exp : new String[] {"+1767225600", "\u0661\u0667\u0666\u0667\u0662\u0662\u0665\u0666\u0660\u0660",
                "\uff11\uff17\uff16\uff17\uff12\uff12\uff15\uff16\uff10\uff10"}) {
            assertThrows(CliException.class, () -> CliArguments.epochSecondsOf(exp), "--exp " + exp);
        }
    }

    @Test
    void whenBitsHasASignOrNonAsciiDigitsThenRefused() {
        for (String bits : new String[] {"+256", "\u0662\u0665\u0666"}) {
            assertThrows(CliException.class, () -> CliArguments.bitsOf(bits), "--bits " + bits);
        }
    }
}
