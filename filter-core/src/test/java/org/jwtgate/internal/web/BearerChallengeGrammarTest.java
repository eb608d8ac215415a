package org.jwtgate.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.DpopSettings;
import org.jwtgate.dpop.DpopRejection;
import org.jwtgate.internal.token.ResolvedToken.Scheme;
import org.jwtgate.testing.CapturedOutput;
import org.jwtgate.verify.Rejection;

/**
 * Every challenge the responder can write, in every dpop.mode, parses under RFC 7235 §2.1 (auth-param,
 * quoted-string) with RFC 6750 §3's character limits on error, error_description and scope, each attribute once.
 */
class BearerChallengeGrammarTest {

    private static final String TCHAR = "[!#$%&'*+.^_`|~0-9A-Za-z-]";
    private static final Pattern PARAM = Pattern.compile("(" + TCHAR + "+)=\"((?:[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\x20-\\x7e])*)\"");
    private static final Pattern RFC6750_VALUE = Pattern.compile("[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*");
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5b\\x5d-\\x7e]+( [\\x21\\x23-\\x5b\\x5d-\\x7e]+)*");

    private final List<String> challenges = new ArrayList<>();

    private HttpServletResponse response() throws IOException {
        challenges.clear();
        HttpServletResponse response = mock(HttpServletResponse.class);
        doAnswer(call -> {
            challenges.clear();
            return challenges.add(call.getArgument(1));
        }).when(response).setHeader(eq("WWW-Authenticate"), anyString());
        doAnswer(call -> challenges.add(call.getArgument(1))).when(response).addHeader(eq("WWW-Authenticate"), anyString());
        when(response.getOutputStream()).thenReturn(new CapturedOutput());
        return response;
    }

    private static BearerErrorResponder responder(DpopSettings.Mode mode, String realm) {
        DpopSettings off = DpopSettings.OFF;
        return new BearerErrorResponder(realm, new DpopSettings(mode, off.algorithms(), off.proofMaxAgeSeconds(), false, null,
                off.nonceLifetimeSeconds(), null));
    }

    private void assertWellFormed(String what) {
        assertFalse(challenges.isEmpty(), what + ": no challenge");
        for (String challenge : challenges) {
            int space = challenge.indexOf(' ');
            String scheme = challenge.substring(0, space);
            assertTrue(scheme.equals("Bearer") || scheme.equals("DPoP"), what + ": " + challenge);
            String rest = challenge.substring(space + 1);
            Matcher m = PARAM.matcher(rest);
            int at = 0;
            Set<String> names = new HashSet<>();
            while (at < rest.length()) {
                assertTrue(m.find(at) && m.start() == at, what + ": unparseable at " + at + ": " + challenge);
                String name = m.group(1).toLowerCase();
                String value = m.group(2);
                assertTrue(names.add(name), what + ": " + name + " twice: " + challenge);
                if (name.equals("error") || name.equals("error_description")) {
                    assertTrue(RFC6750_VALUE.matcher(value).matches(), what + ": " + challenge);
                }
                if (name.equals("scope")) {
                    assertTrue(SCOPE.matcher(value).matches(), what + ": " + challenge);
                }
                at = m.end();
                if (at < rest.length()) {
                    assertEquals(", ", rest.substring(at, Math.min(at + 2, rest.length())), what + ": " + challenge);
                    at += 2;
                }
            }
            assertTrue(names.contains("realm"), what + ": " + challenge);
            assertEquals(scheme.equals("DPoP"), names.contains("algs"), what + ": " + challenge);
        }
    }

    @Test
    void everyChallengeInEveryModeIsWellFormed() throws IOException {
        Set<String> hostileRoles = new LinkedHashSet<>(List.of("admin", "a\"b", "c\\d", "e f", "ж", "x,y=\"z\"", "\u0000\r\n"));
        for (DpopSettings.Mode mode : DpopSettings.Mode.values()) {
            for (String realm : List.of("jwtgate", "My Realm (prod) #1", " ")) {
                BearerErrorResponder responder = responder(mode, realm);
                responder.missingToken(response());
                assertWellFormed(mode + " missing");
                for (Scheme scheme : Scheme.values()) {
                    responder.invalidRequest(response(), scheme);
                    assertWellFormed(mode + " invalidRequest " + scheme);
                    responder.insufficientScope(response(), scheme, hostileRoles);
                    assertWellFormed(mode + " scope " + scheme);
                    responder.insufficientScope(response(), scheme, Set.of("ж"));
                    assertWellFormed(mode + " empty scope " + scheme);
                    for (Rejection rejection : Rejection.values()) {
                        responder.invalidToken(response(), scheme, rejection.publicDescription());
                        assertWellFormed(mode + " " + rejection + " " + scheme);
                    }
                }
                for (DpopRejection rejection : DpopRejection.values()) {
                    responder.invalidDpopProof(response(), rejection, rejection.needsNonce() ? "n" : null);
                    assertWellFormed(mode + " " + rejection);
                }
            }
        }
    }
}
