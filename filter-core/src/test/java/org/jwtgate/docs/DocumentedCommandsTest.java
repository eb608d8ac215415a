package org.jwtgate.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every command in the README's and docs/'s shell blocks runs somewhere in the build: verbatim in a
 * script that CI runs ({@code .ci/run}, {@code verify.sh}, the sample's {@code walkthrough.sh}, the
 * benchmark scripts), or in the test named for it below — which must exist. A new documented
 * command fails here until it is exercised; a stale entry fails too.
 */
class DocumentedCommandsTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern SHELL_BLOCK = Pattern.compile("```(?:bash|sh|shell)\\n(.*?)```", Pattern.DOTALL);
    /** Scripts the build runs: a command found in one of them verbatim is exercised. */
    private static final List<String> SCRIPTS = List.of(".ci/run", "verify.sh", "sample-webapp/walkthrough.sh",
            "benchmarks/run-all.sh", "benchmarks/run-http.sh");

    /** Documented command → the test that runs it ({@code module/…/Class.java#method}). */
    private static final Map<String, String> EXERCISED_BY = new LinkedHashMap<>();

    static {
        String cliIt = "cli/src/test/java/org/jwtgate/cli/JwtGateCliIT.java#";
        String cliTest = "cli/src/test/java/org/jwtgate/cli/JwtGateCliTest.java#";
        String tomcat = "legacy-war/src/test/java/org/jwtgate/legacy/TomcatIT.java#";
        String jetty = "legacy-war/src/test/java/org/jwtgate/legacy/JettyIT.java#";
        String sample = "sample-webapp/src/test/java/org/jwtgate/sample/";
        String runAll = "benchmarks/src/test/java/org/jwtgate/bench/RunAllScriptIT.java#whenRunAllQuickThenEveryPartRunsAndTheSummaryHoldsIt";
        EXERCISED_BY.put("./mvnw -q -pl sample-webapp -am compile exec:java",
                sample + "ReadmeSampleCommandIT.java#whenReadmeSampleCommandRunThenTheLoginPageIsServedAndSigtermStopsIt");
        EXERCISED_BY.put("(umask 077; java -jar jwtgate-cli.jar gen-secret --bits 256 > /etc/jwtgate/jwt-secret)",
                cliIt + "whenSecretGeneratedThenConfWebXmlWithItPassesCheckConfig");
        EXERCISED_BY.put("chown tomcat: /etc/jwtgate/jwt-secret",
                cliIt + "whenSecretGeneratedThenConfWebXmlWithItPassesCheckConfig");
        // TomcatContainer starts catalina.sh with both in its environment, as the export gives them.
        EXERCISED_BY.put("export CATALINA_HOME=/path/to/apache-tomcat-11.0.24 CATALINA_BASE=/path/to/base",
                tomcat + "whenContextDescriptorInstalledThenTomcatDeploysThroughIt");
        // TomcatContainer.prepare runs both, as written (TomcatBaseCommandsTest compares them with the page).
        EXERCISED_BY.put("mkdir -p \"$CATALINA_BASE\"/bin \"$CATALINA_BASE\"/conf/Catalina/localhost \"$CATALINA_BASE\"/logs"
                + " \"$CATALINA_BASE\"/temp \"$CATALINA_BASE\"/webapps \"$CATALINA_BASE\"/work",
                tomcat + "whenContextDescriptorInstalledThenTomcatDeploysThroughIt");
        EXERCISED_BY.put("cp \"$CATALINA_HOME\"/conf/*.* \"$CATALINA_BASE\"/conf/",
                tomcat + "whenContextDescriptorInstalledThenTomcatDeploysThroughIt");
        EXERCISED_BY.put(". \"$CATALINA_BASE/bin/setenv.sh\"",
                tomcat + "whenOperatorSourcesSetenvThenCheckConfigAcceptsTheWarsWebXml");
        EXERCISED_BY.put("bin/jwtgate check-config path/to/WEB-INF/web.xml",
                tomcat + "whenOperatorSourcesSetenvThenCheckConfigAcceptsTheWarsWebXml");
        EXERCISED_BY.put("java -jar jwtgate-cli.jar check-config path/to/WEB-INF/web.xml",
                jetty + "whenOperatorExportsTheVariablesThenCheckConfigAcceptsTheWebXml");
        EXERCISED_BY.put("cat conf/tomcat/logging-audit.properties >> \"$CATALINA_BASE/conf/logging.properties\"",
                tomcat + "whenTheAuditHandlerIsConfiguredThenAuditLinesGoToTheirOwnFileOnly");
        EXERCISED_BY.put("bash \"$CATALINA_HOME/bin/catalina.sh\" run",
                tomcat + "whenContextDescriptorInstalledThenTomcatDeploysThroughIt");
        EXERCISED_BY.put("export JWTGATE_REVOCATION_STORE=redis-cluster",
                jetty + "whenOperatorExportsTheVariablesThenCheckConfigAcceptsTheWebXml");
        EXERCISED_BY.put("export JWTGATE_REDIS_NODES=redis-1.example.internal:6379,redis-2.example.internal:6379,redis-3.example.internal:6379",
                jetty + "whenOperatorExportsTheVariablesThenCheckConfigAcceptsTheWebXml");
        EXERCISED_BY.put("export APP_JWT_SECRET=\"$(cat /etc/jwtgate/jwt-secret)\"",
                jetty + "whenOperatorExportsTheVariablesThenCheckConfigAcceptsTheWebXml");
        EXERCISED_BY.put("cd \"$JETTY_BASE\" && java -jar \"$JETTY_HOME/start.jar\" jetty.home=\"$JETTY_HOME\" jetty.base=\"$JETTY_BASE\" jetty.http.port=8080",
                jetty + "whenOperatorExportsTheVariablesThenCheckConfigAcceptsTheWebXml");
        EXERCISED_BY.put("export JWTGATE_JWT_SECRET=\"$(cat /etc/jwtgate/jwt-secret)\" JWTGATE_JWT_ISSUER=https://login.example.com JWTGATE_REVOCATION_STORE=redis-cluster JWTGATE_REDIS_NODES=redis-1.example.internal:6379",
                cliIt + "whenTokenRevokedFromStdinThenStatusSaysRevokedAndOtherTokensStayValid");
        EXERCISED_BY.put("java -jar jwtgate-cli.jar revoke-token - < leaked-token.txt",
                cliIt + "whenTokenRevokedFromStdinThenStatusSaysRevokedAndOtherTokensStayValid");
        EXERCISED_BY.put("java -jar jwtgate-cli.jar revoke-token --jti 6f1c… --sub alice --exp 4102444800",
                cliIt + "whenTokenRevokedByIdentityThenThatTokenIsRevoked");
        EXERCISED_BY.put("java -jar jwtgate-cli.jar revoke-user alice",
                cliIt + "whenUserRevokedThenEarlierTokensRevokedAndLaterOnesValid");
        EXERCISED_BY.put("java -jar jwtgate-cli.jar status \"$TOKEN\"",
                cliIt + "whenTokenRevokedFromStdinThenStatusSaysRevokedAndOtherTokensStayValid");
        EXERCISED_BY.put("java -jar jwtgate-cli.jar --config /etc/jwtgate/jwtgate.properties status -",
                cliTest + "whenConfigFileGivenThenItsSettingsApply");
        EXERCISED_BY.put("java -jar jwtgate-cli.jar check-config /etc/jwtgate/jwtgate.properties",
                cliTest + "whenCheckConfigOfValidPropertiesThenSettingsPrintedMasked");
        EXERCISED_BY.put("benchmarks/run-all.sh", runAll);
        EXERCISED_BY.put("benchmarks/run-all.sh /usr/lib/jvm/temurin-25-jdk-amd64", runAll);
        EXERCISED_BY.put("benchmarks/run-all.sh --quick", runAll);
        String runDpop = "benchmarks/src/test/java/org/jwtgate/bench/RunDpopScriptIT.java#whenRunDpopQuickThenJmhAndTheHttpRoundsRunAndTheSummaryHoldsThem";
        EXERCISED_BY.put("benchmarks/run-dpop.sh", runDpop);
        EXERCISED_BY.put("benchmarks/run-dpop.sh /usr/lib/jvm/temurin-25-jdk-amd64", runDpop);
        EXERCISED_BY.put("benchmarks/run-dpop.sh --quick", runDpop);
        EXERCISED_BY.put("./mvnw -B -pl benchmarks -am package -DskipTests",
                "benchmarks/src/test/java/org/jwtgate/bench/BenchServerIT.java#whenRequestsReachTheThreeContextsThenOnlyTheFilteredOnesNeedAToken");
        EXERCISED_BY.put("java -jar benchmarks/target/jwtgate-benchmarks.jar -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc", runAll);
        EXERCISED_BY.put("java -jar benchmarks/target/jwtgate-benchmarks.jar VerificationBenchmark -p algorithm=ES256 -p revocation=memory -prof gc", runAll);
        EXERCISED_BY.put("benchmarks/run-http.sh --duration 10 --warmup 5 --connections 32", runAll);
        EXERCISED_BY.put("java -cp benchmarks/target/jwtgate-benchmarks.jar org.jwtgate.bench.PropagationBenchmark --trials 500", runAll);
        EXERCISED_BY.put("benchmarks/run-http.sh --rounds 7 --duration 5 --warmup 5", runAll);
        String runTomcat = "benchmarks/src/test/java/org/jwtgate/bench/RunTomcatScriptIT.java#"
                + "whenRunTomcatQuickWithABeforeJarThenBothTomcatsServeEveryRoundAndTheSummaryHoldsTheRatios";
        EXERCISED_BY.put("benchmarks/run-tomcat.sh", runTomcat);
        EXERCISED_BY.put("benchmarks/run-tomcat.sh --before-jar old/jwtgate-filter-core-1.0.0.jar", runTomcat);
        EXERCISED_BY.put("benchmarks/run-tomcat.sh --quick", runTomcat);
        EXERCISED_BY.put("java -cp benchmarks/target/jwtgate-benchmarks.jar org.jwtgate.bench.MetricsBenchmark --rounds 7 --duration 5",
                "benchmarks/src/test/java/org/jwtgate/bench/MetricsBenchmarkIT.java#whenRunShortThenEveryEndpointAnswers2xxAndTheSummaryHasTheRatios");
        String scale = "benchmarks/src/test/java/org/jwtgate/bench/ScaleBenchmarkIT.java#"
                + "whenRunSmallThenEveryInstanceIsFreshEveryRevocationArrivesAndNothingCrossesTheBus";
        EXERCISED_BY.put("java -Xss256k -Xmx6g -cp benchmarks/target/jwtgate-benchmarks.jar org.jwtgate.bench.ScaleBenchmark --instances 1,10,100,1000", scale);
        EXERCISED_BY.put("java -Xss256k -Xmx6g -cp benchmarks/target/jwtgate-benchmarks.jar org.jwtgate.bench.ScaleBenchmark --instances 1000 --max-staleness-ms 1000", scale);
        EXERCISED_BY.put("java -Xss256k -Xmx6g -cp benchmarks/target/jwtgate-benchmarks.jar org.jwtgate.bench.ScaleBenchmark --instances 1 --stored 1000000 --revocations 20", scale);
        String redisIt = "filter-core/src/test/java/org/jwtgate/internal/revocation/redis/RedisClusterRevocationIT.java#";
        String byEnvironment = redisIt + "whenClusterGivenByEnvironmentVariablesThenTheFilterUsesIt";
        EXERCISED_BY.put("JWTGATE_REVOCATION_STORE=redis-cluster", byEnvironment);
        EXERCISED_BY.put("JWTGATE_REDIS_NODES=10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000", byEnvironment);
        EXERCISED_BY.put("JWTGATE_REVOCATION_MIN_REPLICAS=1", byEnvironment);
        EXERCISED_BY.put("JWTGATE_REVOCATION_FAILURE_MODE=closed", byEnvironment);
        String acl = redisIt + "whenAclUserConfiguredThenTheDocumentedMinimalAclIsEnoughAndAWrongPasswordStopsTheStart";
        EXERCISED_BY.put("JWTGATE_REDIS_USER=jwtgate", acl);
        EXERCISED_BY.put("JWTGATE_REDIS_PASSWORD='${file:/run/secrets/redis-password}'", acl);
        // On a real cluster that speaks TLS only (the testkit's RedisCluster.builder().tls()).
        EXERCISED_BY.put("JWTGATE_REDIS_SSL=true", "filter-core/src/test/java/org/jwtgate/internal/revocation/redis/"
                + "RedisTlsIT.java#whenRevokedOnOneInstanceOverTlsThenTheOtherRefusesAtOnceAndHealthIsUp");
        String clusterScript = "filter-core/src/test/java/org/jwtgate/internal/revocation/redis/LocalClusterScriptIT.java#"
                + "whenScriptStartsTheLocalClusterThenTheFilterUsesItAndStopEndsEveryNode";
        EXERCISED_BY.put("conf/redis-cluster/cluster.sh start", clusterScript);
        EXERCISED_BY.put("conf/redis-cluster/cluster.sh status", clusterScript);
        EXERCISED_BY.put("conf/redis-cluster/cluster.sh stop", clusterScript);
        // walkthrough.sh takes the base URL as its argument: BASE=${1:-http://localhost:8080}.
        EXERCISED_BY.put("BASE=http://localhost:8080", sample + "WalkthroughIT.java#whenTheReadmeWalkthroughRunsThenEveryStepAnswersAsDocumented");
        EXERCISED_BY.put("openssl genpkey -algorithm ed25519 -out signing-key.pem",
                sample + "SigningKeyIT.java#whenKeyPairConfiguredThenTokensAreSignedWithItAndAccepted");
        EXERCISED_BY.put("openssl pkey -in signing-key.pem -pubout -out signing-key.pem.pub.pem",
                sample + "SigningKeyIT.java#whenKeyPairConfiguredThenTokensAreSignedWithItAndAccepted");
        EXERCISED_BY.put("SAMPLE_SIGNING_KEY=signing-key.pem JWTGATE_JWT_PUBLIC_KEY=signing-key.pem.pub.pem ./mvnw -q -pl sample-webapp -am compile exec:java",
                sample + "SigningKeyIT.java#whenKeyPairConfiguredThenTokensAreSignedWithItAndAccepted");
        EXERCISED_BY.put("java -cp \"<jwtgate-testkit.jar and its dependencies>\" org.jwtgate.testkit.RedisClusterLauncher"
                + " [--tls] [masters] [replicasPerMaster]", "testkit/src/test/java/org/jwtgate/testkit/RedisClusterLauncherIT.java#"
                + "whenLaunchedThenItPrintsTheNodesAndSigtermKillsTheNodesAndDeletesTheDirectory");
    }

    /** Each command of each shell block: continuation lines joined, comments and blank lines dropped. */
    static Map<String, String> documentedCommands() throws IOException {
        Map<String, String> commands = new LinkedHashMap<>();
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        for (Path page : pages) {
            Matcher block = SHELL_BLOCK.matcher(Files.readString(page));
            while (block.find()) {
                for (String line : joinContinuations(block.group(1)).split("\n")) {
                    String command = withoutComment(line);
                    if (!command.isEmpty()) {
                        commands.putIfAbsent(command, ROOT.relativize(page).toString());
                    }
                }
            }
        }
        return commands;
    }

    private static String joinContinuations(String text) {
        return text.replaceAll("\\\\\n\\s*", " ");
    }

    /** A trailing {@code # comment} (a hash after whitespace) and surplus whitespace dropped. */
    private static String withoutComment(String line) {
        String trimmed = line.trim();
        if (trimmed.startsWith("#")) {
            return "";
        }
        return trimmed.replaceFirst("\\s+#\\s.*$", "").replaceAll("\\s+", " ");
    }

    private static String scripts() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String script : SCRIPTS) {
            for (String line : joinContinuations(Files.readString(ROOT.resolve(script))).split("\n")) {
                all.append(withoutComment(line)).append('\n');
            }
        }
        return all.toString();
    }

    @Test
    void whenDocsListCommandsThenEachRunsInAScriptOrANamedTest() throws IOException {
        String scripts = scripts();
        List<String> unexercised = new ArrayList<>();
        for (Map.Entry<String, String> command : documentedCommands().entrySet()) {
            boolean inScript = scripts.lines().anyMatch(line -> line.equals(command.getKey())
                    || line.startsWith(command.getKey() + " "));
            if (!inScript && !EXERCISED_BY.containsKey(command.getKey())) {
                unexercised.add(command.getValue() + ": " + command.getKey());
            }
        }
        assertTrue(unexercised.isEmpty(), "documented commands that no script or named test runs:\n"
                + String.join("\n", unexercised));
    }

    @Test
    void whenACommandIsMappedToATestThenThatTestExistsAndTheCommandIsStillDocumented() throws IOException {
        Set<String> documented = new LinkedHashSet<>(documentedCommands().keySet());
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> entry : EXERCISED_BY.entrySet()) {
            if (!documented.contains(entry.getKey())) {
                problems.add("no longer documented: " + entry.getKey());
            }
            String[] test = entry.getValue().split("#");
            Path source = ROOT.resolve(test[0]);
            if (!Files.isRegularFile(source) || !Files.readString(source).contains("void " + test[1] + "(")) {
                problems.add("no test " + entry.getValue() + " for: " + entry.getKey());
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
