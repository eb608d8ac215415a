package org.jwtgate.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.jwtgate.config.DpopSettings;
import org.jwtgate.dpop.DpopRejection;
import org.jwtgate.internal.token.ResolvedToken.Scheme;
import org.jwtgate.internal.web.BearerErrorResponder;
import org.jwtgate.testing.CapturedOutput;
import org.jwtgate.testkit.attacks.HostileTokens;
import org.jwtgate.testkit.tokens.TestTokens;
import org.jwtgate.verify.Rejection;

/**
 * docs/security.md's two tables of answers ("What the filter answers", and its DPoP section) are what clients and
 * their libraries are written against: each answer {@link BearerErrorResponder} writes, for each {@link Rejection}
 * and {@link DpopRejection}, has its row there (status, the challenge's scheme, {@code error} and
 * {@code error_description}, the body's {@code error}), and every {@code error_description} the tables quote is one
 * the code writes. The counts of attacks it gives are the attack catalog's.
 */
class SecurityDocsTest {

    private static final Path PAGE = Path.of("..", "docs", "security.md");
    private static final Pattern DESCRIPTION = Pattern.compile("error_description=\"([^\"]*)\"");

    /** One answer as a client sees it. */
    private record Answer(String what, int status, List<String> challenges, String error) {
    }

    /** Writes one answer into a mock response and reads it back. */
    private interface Write {
        void to(HttpServletResponse response) throws IOException;
    }

    private static Answer answer(String what, Write write) throws IOException {
        HttpServletResponse response = mock(HttpServletResponse.class);
        CapturedOutput body = new CapturedOutput();
        List<String> challenges = new ArrayList<>();
        int[] status = new int[1];
        doAnswer(call -> {
            if (call.getArgument(0).equals("WWW-Authenticate")) {
                challenges.clear();
                challenges.add(call.getArgument(1));
            }
            return null;
        }).when(response).setHeader(anyString(), anyString());
        doAnswer(call -> challenges.add(call.getArgument(1))).when(response).addHeader(eq("WWW-Authenticate"), anyString());
        doAnswer(call -> status[0] = call.getArgument(0)).when(response).setStatus(anyInt());
        when(response.getOutputStream()).thenReturn(body);
        write.to(response);
        Matcher error = Pattern.compile("^\\{\"error\":\"([^\"]+)\"").matcher(body.text());
        assertTrue(error.find(), what + ": " + body.text());
        return new Answer(what, status[0], List.copyOf(challenges), error.group(1));
    }

    /** The rows of the first table after {@code heading}, each split into its cells. */
    private static List<List<String>> table(String heading) throws IOException {
        List<String> lines = Files.readAllLines(PAGE);
        int start = lines.indexOf(heading);
        assertTrue(start >= 0, PAGE + " has a heading " + heading);
        List<List<String>> rows = new ArrayList<>();
        int i = start + 1;
        while (i < lines.size() && !lines.get(i).startsWith("|")) {
            i++;
        }
        for (i += 2; i < lines.size() && lines.get(i).startsWith("| "); i++) { // past the header and |---|
            String line = lines.get(i);
            rows.add(List.of(line.substring(2, line.length() - 2).split(" \\| ")));
        }
        assertTrue(rows.size() > 5, "the table after " + heading + ": " + rows);
        return rows;
    }

    /**
     * The answer's row: its status first in the status cell, its body's error in the error cell, and in the challenge
     * cell the first challenge's scheme (or "…": the row above's) with its error and description (or "…", for a
     * description the first table gives), the whole challenge when it carries no error ({@code algs} written "…"), or
     * "—" without a challenge.
     */
    private static String missingRow(Answer answer, List<List<String>> rows) {
        for (List<String> row : rows) {
            if (!row.get(0).startsWith(String.valueOf(answer.status())) || !row.get(2).equals("`" + answer.error() + "`")) {
                continue;
            }
            if (answer.challenges().isEmpty()) {
                if (row.get(1).equals("—")) {
                    return null;
                }
                continue;
            }
            String first = answer.challenges().get(0).replaceAll("algs=\"[^\"]*\"", "algs=\"…\"");
            Matcher error = Pattern.compile("(error=\"[^\"]*\"), (error_description=\"[^\"]*\")").matcher(first);
            String scheme = first.substring(0, first.indexOf(' '));
            String cell = row.get(1);
            // "`… error=…`" goes on with the scheme and realm of the row above; "error=\"…\", …" leaves the fixed
            // description to the first table.
            boolean shown = error.find()
                    ? (cell.startsWith("`" + scheme + " ") || cell.startsWith("`… ")) && cell.contains(error.group(1))
                            && (cell.contains(error.group(1) + ", " + error.group(2)) || cell.contains(error.group(1) + ", …"))
                    : cell.startsWith("`" + first + "`");
            if (shown) {
                return null;
            }
        }
        return answer.what() + ": " + answer;
    }

    @Test
    void whenTheFilterAnswersThenEachAnswerHasItsRowInTheTable() throws IOException {
        BearerErrorResponder bearer = new BearerErrorResponder("jwtgate");
        List<Answer> answers = new ArrayList<>();
        answers.add(answer("no token", bearer::missingToken));
        for (Rejection rejection : Rejection.values()) {
            if (!rejection.name().startsWith("DPOP")) {
                answers.add(answer(rejection.name(), r -> bearer.invalidToken(r, rejection.publicDescription())));
            }
        }
        answers.add(answer("invalid request", bearer::invalidRequest));
        answers.add(answer("insufficient scope", r -> bearer.insufficientScope(r, Set.of("admin"))));
        answers.add(answer("cross-site", bearer::crossSiteRefused));
        answers.add(answer("unavailable", r -> bearer.unavailable(r, 5)));

        List<List<String>> rows = table("## What the filter answers");
        assertEquals(List.of(), answers.stream().map(answer -> missingRow(answer, rows)).filter(m -> m != null).toList(),
                "answers docs/security.md's table does not show");
    }

    @Test
    void whenTheFilterAnswersWithDpopThenEachAnswerHasItsRowInTheDpopTable() throws IOException {
        DpopSettings off = DpopSettings.OFF;
        BearerErrorResponder allowed = new BearerErrorResponder("jwtgate", new DpopSettings(DpopSettings.Mode.ALLOWED,
                off.algorithms(), off.proofMaxAgeSeconds(), false, null, off.nonceLifetimeSeconds(), null));
        List<Answer> answers = new ArrayList<>();
        answers.add(answer("no token", allowed::missingToken));
        for (DpopRejection rejection : DpopRejection.values()) {
            answers.add(answer(rejection.name(), r -> allowed.invalidDpopProof(r, rejection,
                    rejection.needsNonce() ? "a-fresh-nonce" : null)));
        }
        answers.add(answer("DPOP_KEY_MISMATCH", r -> allowed.invalidToken(r, Scheme.DPOP,
                Rejection.DPOP_KEY_MISMATCH.publicDescription())));
        answers.add(answer("EXPIRED with DPoP", r -> allowed.invalidToken(r, Scheme.DPOP, Rejection.EXPIRED.publicDescription())));
        for (Rejection downgrade : List.of(Rejection.DPOP_BOUND_AS_BEARER, Rejection.DPOP_REQUIRED)) {
            answers.add(answer(downgrade.name(), r -> allowed.invalidToken(r, Scheme.BEARER, downgrade.publicDescription())));
        }
        answers.add(answer("invalid request", r -> allowed.invalidRequest(r, Scheme.DPOP)));
        answers.add(answer("insufficient scope", r -> allowed.insufficientScope(r, Scheme.DPOP, Set.of("admin"))));
        answers.add(answer("unavailable", r -> allowed.unavailable(r, 5)));

        List<List<String>> rows = table("### What the filter answers with DPoP");
        assertEquals(List.of(), answers.stream().map(answer -> missingRow(answer, rows)).filter(m -> m != null).toList(),
                "answers docs/security.md's DPoP table does not show");
    }

    /** A description the tables quote that no answer carries is a text the code changed, or never had. */
    @Test
    void whenTheTablesQuoteADescriptionThenTheCodeWritesIt() throws IOException {
        Set<String> written = new TreeSet<>();
        for (Rejection rejection : Rejection.values()) {
            written.add(rejection.publicDescription());
        }
        for (DpopRejection rejection : DpopRejection.values()) {
            written.add(rejection.publicDescription());
        }
        BearerErrorResponder bearer = new BearerErrorResponder("jwtgate");
        for (Answer answer : List.of(answer("invalid request", bearer::invalidRequest),
                answer("insufficient scope", r -> bearer.insufficientScope(r, Set.of("admin"))))) {
            Matcher description = DESCRIPTION.matcher(answer.challenges().get(0));
            assertTrue(description.find(), answer.toString());
            written.add(description.group(1));
        }
        Set<String> quoted = new TreeSet<>();
        for (String heading : List.of("## What the filter answers", "### What the filter answers with DPoP")) {
            for (List<String> row : table(heading)) {
                DESCRIPTION.matcher(row.get(1)).results().forEach(m -> quoted.add(m.group(1)));
            }
        }
        quoted.removeAll(written);
        assertEquals(Set.of(), quoted, "error_description texts docs/security.md quotes that no answer carries");
    }

    /**
     * The page counts the attack suite: "`AttackSuiteIT` sends 140 attacks", and the module gets "137 of the 140", all
     * but those aimed at a required {@code typ}. Both send the one catalog, so an attack added there changes the count.
     */
    @Test
    void whenThePageCountsTheAttacksThenTheyAreTheCatalogs() throws IOException {
        List<HostileTokens.Attack> catalog = new HostileTokens(TestTokens.rsaKeyPair(), TestTokens.ecKeyPair("secp256r1"),
                "http://127.0.0.1:1").all();
        long typed = catalog.stream().filter(attack -> attack.target() == HostileTokens.Target.TYPED).count();
        String page = Files.readString(PAGE);
        Matcher filter = Pattern.compile("`AttackSuiteIT` sends (\\d+) attacks").matcher(page);
        assertTrue(filter.find(), PAGE + " counts AttackSuiteIT's attacks");
        assertEquals(String.valueOf(catalog.size()), filter.group(1), "AttackSuiteIT's attacks, as " + PAGE + " counts them");
        Matcher module = Pattern.compile("(\\d+) of the (\\d+) attacks, since the").matcher(page);
        assertTrue(module.find(), PAGE + " counts the attacks the module gets");
        assertEquals(catalog.size() - typed + " of the " + catalog.size(), module.group(1) + " of the " + module.group(2),
                "the module's attacks (all but those aimed at a required typ), as " + PAGE + " counts them");
    }
}
