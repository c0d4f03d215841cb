package io.jenkins.plugins.deployrollback.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.gate.ApprovalCheck;
import io.jenkins.plugins.deployrollback.engine.gate.CanaryCheck;
import io.jenkins.plugins.deployrollback.engine.gate.CommandCheck;
import io.jenkins.plugins.deployrollback.engine.gate.Gate;
import io.jenkins.plugins.deployrollback.engine.gate.GatePolicy;
import io.jenkins.plugins.deployrollback.engine.gate.GateWindow;
import io.jenkins.plugins.deployrollback.engine.gate.HttpCheck;
import io.jenkins.plugins.deployrollback.engine.gate.HttpLatencySource;
import io.jenkins.plugins.deployrollback.engine.gate.InconclusiveAction;
import io.jenkins.plugins.deployrollback.engine.gate.NoDataPolicy;
import io.jenkins.plugins.deployrollback.engine.gate.PrometheusCheck;
import io.jenkins.plugins.deployrollback.engine.gate.PrometheusRangeSource;
import io.jenkins.plugins.deployrollback.engine.gate.TargetLatencySource;
import io.jenkins.plugins.deployrollback.engine.gate.Threshold;
import io.jenkins.plugins.deployrollback.engine.gate.Verdict;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;
import io.jenkins.plugins.deployrollback.engine.strategy.Strategy;
import io.jenkins.plugins.deployrollback.engine.strategy.TargetCount;
import io.jenkins.plugins.deployrollback.engine.targets.local.LocalTarget;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ConfigLoaderTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path write(String yaml) throws Exception {
        Path file = temp.getRoot().toPath().resolve("deploy-rollback.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static final String VALID = """
            state: state
            environments:
              production:
                targets:
                  - name: web-1
                    path: srv/web-1
                  - path: /srv/web-2
                keepReleases: 7
                keepFailed: 2
                lockTimeout: 1h30m
                autoRollback: false
                shared: [logs/, config/app.yml]
                variables:
                  PORT: 8080
                hooks:
                  - name: migrate
                    phase: beforeSwitch
                    runOn: deploy
                    command: ./bin/migrate
                    timeout: 2m
                healthCheck:
                  url: http://127.0.0.1:8080/health
                  attempts: 5
                  interval: 250ms
            """;

    @Test
    public void validFileBecomesEnvironmentsWithPathsRelativeToTheFile() throws Exception {
        CliConfig config = ConfigLoader.load(write(VALID));

        Environment production = config.environment("production");
        assertThat(config.stateFolder()).isEqualTo(temp.getRoot().toPath().resolve("state"));
        assertThat(production.name()).isEqualTo(EnvironmentName.of("production"));
        assertThat(production.targets())
                .extracting(t -> ((LocalTarget) t).root().toString())
                .containsExactly(temp.getRoot().toPath().resolve("srv/web-1").toString(), "/srv/web-2");
        assertThat(production.targets().get(0).name()).isEqualTo("web-1");
        assertThat(production.retention().keepReleases()).isEqualTo(7);
        assertThat(production.retention().keepFailed()).isEqualTo(2);
        assertThat(production.lockTimeout()).isEqualTo(Duration.ofMinutes(90));
        assertThat(production.autoRollback()).isFalse();
        assertThat(production.shared()).extracting(Object::toString).containsExactly("logs/", "config/app.yml");
        assertThat(production.variables()).containsEntry("PORT", "8080");
        assertThat(production.hooks()).singleElement().satisfies(h -> {
            assertThat(h.phase()).isEqualTo(HookPhase.BEFORE_SWITCH);
            assertThat(h.runOn()).isEqualTo(RunOn.DEPLOY);
            assertThat(h.timeout()).isEqualTo(Duration.ofMinutes(2));
        });
        assertThat(production.gates()).singleElement().satisfies(g -> {
            assertThat(g.window().count()).isEqualTo(5);
            assertThat(g.window().interval()).isEqualTo(Duration.ofMillis(250));
            assertThat(g.window().failureLimit()).isEqualTo(4);
            assertThat(g.window().consecutiveSuccessLimit()).isEqualTo(1);
            assertThat(g.checks()).singleElement().satisfies(c -> assertThat(
                            ((io.jenkins.plugins.deployrollback.engine.gate.HttpCheck) c).expectStatus())
                    .containsExactly(200));
        });
    }

    @Test
    public void concurrencyIsHowManyTargetsAreWorkedOnAtOnceTwentyUnlessGiven() throws Exception {
        Path file = write("""
                environments:
                  production:
                    concurrency: 4
                    targets: [ { path: /srv/a }, { path: /srv/b } ]
                  staging:
                    targets: [ { path: /srv/staging } ]
                """);

        CliConfig config = ConfigLoader.load(file);

        assertThat(config.environment("production").concurrency()).isEqualTo(4);
        assertThat(config.environment("staging").concurrency()).isEqualTo(Environment.DEFAULT_CONCURRENCY);
    }

    @Test
    public void tildeIsTheHomeFolderForTheStateAndLocalTargets() throws Exception {
        Path home = temp.newFolder("home").toPath();
        Path file = write("""
                state: ~/deploy-state
                environments:
                  production:
                    targets: [ { path: ~/srv/app }, { path: "~" } ]
                """);

        CliConfig config = ConfigLoader.load(file, Map.of("HOME", home.toString()));

        assertThat(config.stateFolder()).isEqualTo(home.resolve("deploy-state"));
        assertThat(config.environment("production").targets())
                .extracting(t -> ((LocalTarget) t).root())
                .containsExactly(home.resolve("srv/app"), home);
    }

    @Test
    public void everyProblemIsReportedWithFileLineKeyAndWhatIsAllowed() throws Exception {
        Path file = write("""
                environments:
                  production:
                    targets:
                      - path: /srv/app
                    keepReleaes: 3
                    lockTimeout: soon
                    autoRollback: maybe
                    hooks:
                      - name: migrate
                        phase: beforeSwitch
                        runOn: sometimes
                        command: ./bin/migrate
                      - name: restart
                        phase: afterSwitch
                        command: ./bin/restart
                """);

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactlyInAnyOrder(
                                        "deploy-rollback.yaml:5: environments.production.keepReleaes: is not a known setting (did you mean keepReleases?); known here: "
                                                + "approvalTimeout, approvers, autoRollback, concurrency, gates, healthCheck, healthChecks, hooks, keepFailed, keepReleases, lockTimeout, onInconclusive, shared, ssh, strategy, targets, variables, verifyAfterRollback",
                                        "deploy-rollback.yaml:6: environments.production.lockTimeout: \"soon\" is not a duration: write a number with a unit, such as 500ms, 30s, 5m or 1h30m",
                                        "deploy-rollback.yaml:7: environments.production.autoRollback: \"maybe\" is not allowed; use true or false",
                                        "deploy-rollback.yaml:11: environments.production.hooks[0].runOn: runOn \"sometimes\" is not allowed: use deploy, rollback or both",
                                        "deploy-rollback.yaml:13: environments.production.hooks[1].runOn: is missing: give deploy, rollback or both: say when the hook runs"));
    }

    @Test
    public void engineValidationMessagesArePlacedAtTheirKey() throws Exception {
        Path file = write("""
                environments:
                  "prod env":
                    targets: [ { path: /srv/app } ]
                  staging:
                    targets: []
                  qa:
                    targets: [ { path: /srv/qa } ]
                    shared: [ ../outside ]
                    healthCheck: { url: "ftp://example/health" }
                """);

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .anySatisfy(
                                        p -> assertThat(p)
                                                .startsWith(
                                                        "deploy-rollback.yaml:2: environments: Environment name \"prod env\" is invalid"))
                                .anySatisfy(
                                        p -> assertThat(p)
                                                .isEqualTo(
                                                        "deploy-rollback.yaml:5: environments.staging.targets: is empty: give at least one"))
                                .anySatisfy(
                                        p -> assertThat(p)
                                                .startsWith(
                                                        "deploy-rollback.yaml:8: environments.qa.shared[0]: Unsafe artifact: entry \"../outside\" contains '..'"))
                                .anySatisfy(
                                        p -> assertThat(p)
                                                .contains(
                                                        "environments.qa.healthCheck: HTTP check health has URL \"ftp://example/health\": use an absolute http:// or https:// URL")));
    }

    @Test
    public void missingFileSaysHowToNameAnother() {
        Path missing = temp.getRoot().toPath().resolve("nope.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.yaml: no such configuration file")
                .hasMessageContaining("--config");
    }

    @Test
    public void yamlSyntaxErrorsNameFileLineColumnAndTheProblem() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(write("environments:\n  production: [unclosed\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("deploy-rollback.yaml:3:1: ")
                .hasMessageContaining("while parsing a flow sequence that starts on line 2, column 15");
        assertThatThrownBy(() -> ConfigLoader.load(
                        write("environments:\n  staging:\n    targets: [ { path: /srv/a }\n    hooks: x\n")))
                .hasMessageContaining("deploy-rollback.yaml:4:5: expected ',' or ']', but got <scalar>"
                        + " (while parsing a flow sequence that starts on line 3, column 14)");
        assertThatThrownBy(
                        () -> ConfigLoader.load(write("environments:\n  staging: {targets: [ { path: \"/srv } ]}\n")))
                .hasMessageContaining("deploy-rollback.yaml:3:1: found unexpected end of stream"
                        + " (while scanning a quoted scalar that starts on line 2, column 32)");
        assertThatThrownBy(() -> ConfigLoader.load(write("environments:\n  staging:\n    targets:\n\t- path: x\n")))
                .hasMessageContaining(
                        "deploy-rollback.yaml:4:1: found character '\\t(TAB)' that cannot start any token");
    }

    @Test
    public void badEnvironmentNameIsReportedAtItsOwnLineAndNeverPrintedRaw() throws Exception {
        Path file = write("""
                environments:
                  "prod\\nuction":
                    targets: [ { path: /srv/a } ]
                  st aging:
                    targets: [ { path: /srv/b } ]
                """);

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "deploy-rollback.yaml:2: environments: Environment name \"prod\\nuction\" is invalid")
                .hasMessageContaining("deploy-rollback.yaml:4: environments: Environment name \"st aging\" is invalid")
                .hasMessageNotContaining("prod\nuction");
    }

    @Test
    public void bytesThatAreNotUtf8AreAnErrorAtTheirLineAndColumn() throws Exception {
        Path file = temp.getRoot().toPath().resolve("deploy-rollback.yaml");
        Files.write(file, "environments:\n  st\u00e4ging:\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("deploy-rollback.yaml:2:5: is not UTF-8 text (byte 0xE4 here, perhaps Latin-1"
                        + " or Windows-1252): save the file as UTF-8")
                .hasMessageNotContaining("MalformedInputException");
    }

    @Test
    public void unknownEnvironmentListsTheConfiguredOnes() throws Exception {
        CliConfig config = ConfigLoader.load(write(VALID));

        assertThatThrownBy(() -> config.environment("prodution"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no environment prodution is configured; configured: production");
    }

    @Test
    public void durationsAcceptUnitsAndTheirSums() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThatThrownBy(() -> Durations.parse("10")).hasMessageContaining("write a number with a unit");
    }

    @Test
    public void keyGivenTwiceIsAnErrorNamingBothLinesNotASilentReplacement() throws Exception {
        Path file = write("""
                environments:
                  production:
                    targets: [ { path: /srv/app } ]
                    hooks:
                      - { name: migrate, phase: beforeSwitch, runOn: deploy, command: ./migrate }
                    hooks:
                      - { name: restart, phase: afterSwitch, runOn: both, command: ./restart }
                """);

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly(
                                "deploy-rollback.yaml:6: environments.production.hooks: is given twice (first on line 4):"
                                        + " a later one would silently replace the earlier; keep one"));
    }

    private static final String GATES = """
            environments:
              production:
                targets: [ { path: /srv/app } ]
                healthCheck: { url: "http://127.0.0.1:8080/health" }
                gates:
                  - name: smoke
                    initialDelay: 5s
                    interval: 10s
                    count: 6
                    failureLimit: 1
                    consecutiveErrorLimit: 4
                    inconclusiveLimit: 0
                    consecutiveSuccessLimit: 0
                    checks:
                      - http:
                          name: api
                          urls: [ "http://127.0.0.1:8080/api", "http://127.0.0.1:8081/api" ]
                          requests: 20
                          requestInterval: 50ms
                          timeout: 2s
                          expectStatus: [200, 204]
                          maxErrorRate: 5%
                          minAvailability: 99.5%
                          maxLatency: { p50: 100ms, p95: 300ms, p99: 1s }
                          dryRun: false
                      - prometheus:
                          name: error-ratio
                          server: http://127.0.0.1:9090
                          query: 'sum(rate(errors_total[1m])) / sum(rate(requests_total[1m]))'
                          max: 0.05
                          noData: fail
                          timeout: 3s
                      - command:
                          name: smoke-test
                          run: ./smoke.sh
                          on: targets
                          timeout: 1m
                      - canary:
                          name: latency
                          canary:   { url: "http://canary:8080/api", requests: 60, requestInterval: 20ms, timeout: 2s }
                          baseline: { prometheus: "http://127.0.0.1:9090", query: 'rate(x[1m])', step: 30s }
                          worse: either
                          confidence: 0.95
                          allowedEffect: 10%
                          minSamples: 60
                      - approval:
                          name: product-owner
                          question: "Keep it live?"
                          approvers: [alice, bob]
                          timeout: 30m
                          onNoAnswer: inconclusive
                  - name: errors
                    checks:
                      - http: { url: "http://127.0.0.1:8080/" }
                onInconclusive: fail
                approvers: [alice]
                approvalTimeout: 20m
                verifyAfterRollback: true
            """;

    @Test
    public void gatesBecomeTheEnginesGatesAfterTheHealthCheckWithEveryValueGiven() throws Exception {
        Environment production = ConfigLoader.load(write(GATES)).environment("production");

        assertThat(production.gates()).extracting(Gate::name).containsExactly("health", "smoke", "errors");
        Gate smoke = production.gates().get(1);
        assertThat(smoke.window())
                .isEqualTo(new GateWindow(Duration.ofSeconds(5), Duration.ofSeconds(10), 6, 1, 4, 0, 0));
        assertThat(smoke.checks()).hasSize(5);
        assertThat(smoke.checks().get(0))
                .isEqualTo(new HttpCheck(
                        "api",
                        List.of(URI.create("http://127.0.0.1:8080/api"), URI.create("http://127.0.0.1:8081/api")),
                        20,
                        Duration.ofMillis(50),
                        Duration.ofSeconds(2),
                        List.of(200, 204),
                        99.5,
                        5.0,
                        Duration.ofMillis(100),
                        Duration.ofMillis(300),
                        Duration.ofSeconds(1),
                        false));
        assertThat(smoke.checks().get(1))
                .isEqualTo(new PrometheusCheck(
                        "error-ratio",
                        URI.create("http://127.0.0.1:9090"),
                        "sum(rate(errors_total[1m])) / sum(rate(requests_total[1m]))",
                        Threshold.atMost(0.05),
                        NoDataPolicy.FAIL,
                        Duration.ofSeconds(3),
                        false));
        assertThat(smoke.checks().get(2))
                .isEqualTo(new CommandCheck(
                        "smoke-test", "./smoke.sh", CommandCheck.Where.TARGETS, Duration.ofMinutes(1), false));
        assertThat(smoke.checks().get(3))
                .isEqualTo(new CanaryCheck(
                        "latency",
                        new HttpLatencySource(
                                URI.create("http://canary:8080/api"), 60, Duration.ofMillis(20), Duration.ofSeconds(2)),
                        new PrometheusRangeSource(
                                URI.create("http://127.0.0.1:9090"),
                                "rate(x[1m])",
                                Duration.ofSeconds(30),
                                PrometheusRangeSource.Period.BEFORE_GATE_START,
                                Duration.ofSeconds(5)),
                        CanaryCheck.Worse.EITHER,
                        0.95,
                        0.10,
                        60,
                        false));
        assertThat(smoke.checks().get(4))
                .isEqualTo(new ApprovalCheck(
                        "product-owner",
                        "Keep it live?",
                        List.of("alice", "bob"),
                        Duration.ofMinutes(30),
                        Verdict.INCONCLUSIVE,
                        false));
        assertThat(production.gatePolicy())
                .isEqualTo(new GatePolicy(InconclusiveAction.FAIL, List.of("alice"), Duration.ofMinutes(20), true));
    }

    @Test
    public void whatAGateOrCheckLeavesOutIsTheEnginesDefault() throws Exception {
        Path file = write("""
                environments:
                  production:
                    targets: [ { path: /srv/app } ]
                    gates:
                      - name: smoke
                        checks:
                          - http: { url: "http://127.0.0.1:8080/" }
                          - prometheus: { server: "http://prom:9090", query: up, min: 1 }
                          - command: { run: ./smoke.sh }
                          - canary:
                              canary: { prometheus: "http://prom:9090", query: 'rate(x[1m])' }
                              baseline: { url: "http://baseline/" }
                          - approval: {}
                """);

        Environment production = ConfigLoader.load(file).environment("production");

        Gate smoke = production.gates().get(0);
        assertThat(smoke.window()).isEqualTo(GateWindow.DEFAULT);
        assertThat(smoke.checks())
                .extracting(c -> c.name())
                .containsExactly("http", "prometheus", "command", "canary", "approval");
        assertThat(smoke.checks().get(0)).isEqualTo(HttpCheck.of("http", URI.create("http://127.0.0.1:8080/")));
        assertThat((PrometheusCheck) smoke.checks().get(1)).satisfies(p -> {
            assertThat(p.threshold()).isEqualTo(Threshold.atLeast(1));
            assertThat(p.noData()).isEqualTo(NoDataPolicy.INCONCLUSIVE);
            assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(5));
        });
        assertThat(smoke.checks().get(2))
                .isEqualTo(new CommandCheck("command", "./smoke.sh", CommandCheck.Where.ENGINE, null, false));
        assertThat((CanaryCheck) smoke.checks().get(3)).satisfies(c -> {
            assertThat(c.worse()).isEqualTo(CanaryCheck.Worse.HIGHER);
            assertThat(c.confidence()).isEqualTo(CanaryCheck.DEFAULT_CONFIDENCE);
            assertThat(c.allowedEffect()).isEqualTo(CanaryCheck.DEFAULT_ALLOWED_EFFECT);
            assertThat(c.minSamples()).isEqualTo(CanaryCheck.DEFAULT_MIN_SAMPLES);
            assertThat(((PrometheusRangeSource) c.canary()).period())
                    .isEqualTo(PrometheusRangeSource.Period.SINCE_GATE_START);
            assertThat(((PrometheusRangeSource) c.canary()).step()).isEqualTo(Duration.ofSeconds(15));
            assertThat(c.baseline())
                    .isEqualTo(new HttpLatencySource(
                            URI.create("http://baseline/"),
                            CanaryCheck.DEFAULT_MIN_SAMPLES,
                            HttpCheck.DEFAULT_REQUEST_INTERVAL,
                            HttpCheck.DEFAULT_TIMEOUT));
        });
        assertThat(smoke.checks().get(4))
                .isEqualTo(new ApprovalCheck("approval", null, List.of(), null, Verdict.FAIL, false));
        assertThat(production.gatePolicy()).isEqualTo(GatePolicy.DEFAULT);
    }

    @Test
    public void everyBadGateOrHttpValueIsReportedAtItsLineAndKey() throws Exception {
        Path file = write("""
                environments:
                  production:
                    targets: [ { path: /srv/app } ]
                    gates:
                      - name: smoke test
                        count: 3
                        failureLimit: 3
                        interval: 25h
                        consecutiveSucessLimit: 1
                        checks:
                          - http:
                              url: ftp://example/health
                              requests: 0
                              expectStatus: [200, 700]
                              maxErrorRate: lots
                              minAvailability: 120%
                              maxLatency: { p95: 0ms, P99: 1s }
                              dryRun: perhaps
                      - name: empty
                        checks: []
                      - checks:
                          - http: { url: "http://a/", urls: [ "http://b/" ] }
                          - { http: { url: "http://a/" }, command: { run: "true" } }
                          - htp: { url: "http://a/" }
                          - just a string
                """);

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "deploy-rollback.yaml:5: environments.production.gates[0].name: Gate name \"smoke test\" is invalid: use letters, digits, '.', '_' or '-' (at most 64)",
                                        "deploy-rollback.yaml:7: environments.production.gates[0].failureLimit: A failure limit of 3 with 3 samples can never fail: use a failure limit below the count (at most 2)",
                                        "deploy-rollback.yaml:8: environments.production.gates[0].interval: A gate's interval of 25 h 0 min is out of range: use 0s to 24h, such as 30s or 5m",
                                        "deploy-rollback.yaml:9: environments.production.gates[0].consecutiveSucessLimit: is not a known setting (did you mean consecutiveSuccessLimit?); known here: checks, consecutiveErrorLimit, consecutiveSuccessLimit, count, failureLimit, inconclusiveLimit, initialDelay, interval, name",
                                        "deploy-rollback.yaml:12: environments.production.gates[0].checks[0].http.url: HTTP check http has URL \"ftp://example/health\": use an absolute http:// or https:// URL",
                                        "deploy-rollback.yaml:13: environments.production.gates[0].checks[0].http.requests: HTTP check http sends 0 requests per sample: use 1 to 10000",
                                        "deploy-rollback.yaml:14: environments.production.gates[0].checks[0].http.expectStatus: HTTP check http expects status 700: use HTTP statuses between 100 and 599",
                                        "deploy-rollback.yaml:15: environments.production.gates[0].checks[0].http.maxErrorRate: \"lots\" is not a percentage: write a number from 0 to 100, such as 5% or 99.5%",
                                        "deploy-rollback.yaml:16: environments.production.gates[0].checks[0].http.minAvailability: HTTP check http has minimum availability 120.0: use a percentage from 0 to 100",
                                        "deploy-rollback.yaml:17: environments.production.gates[0].checks[0].http.maxLatency.P99: is not a known setting (did you mean p99?); known here: p50, p95, p99",
                                        "deploy-rollback.yaml:17: environments.production.gates[0].checks[0].http.maxLatency.p95: HTTP check http has a p95 threshold of 0 ms: use a positive duration such as 300ms",
                                        "deploy-rollback.yaml:18: environments.production.gates[0].checks[0].http.dryRun: \"perhaps\" is not allowed; use true or false",
                                        "deploy-rollback.yaml:20: environments.production.gates[1].checks: is empty: give at least one",
                                        "deploy-rollback.yaml:21: environments.production.gates[2].name: is missing: give a short name such as smoke or errors",
                                        "deploy-rollback.yaml:22: environments.production.gates[2].checks[0].http.urls: give either url (one) or urls (a list), not both",
                                        "deploy-rollback.yaml:23: environments.production.gates[2].checks[1]: names 2 kinds (http, command): each check is a map with one key naming its kind (http, prometheus, command, canary, approval), such as - http: { url: http://127.0.0.1:8080/health }; list several checks as separate items",
                                        "deploy-rollback.yaml:24: environments.production.gates[2].checks[2].htp: is not a known setting (did you mean http?); known here: approval, canary, command, http, prometheus",
                                        "deploy-rollback.yaml:25: environments.production.gates[2].checks[3]: is the value \"just a string\": each check is a map with one key naming its kind (http, prometheus, command, canary, approval), such as - http: { url: http://127.0.0.1:8080/health }; list several checks as separate items"));
    }

    @Test
    public void allowedEffectWithoutAPercentSignIsRefusedAsAmbiguous() throws Exception {
        Path file = write("""
                environments:
                  production:
                    targets: [ { path: /srv/app } ]
                    gates:
                      - name: latency
                        checks:
                          - canary:
                              canary: { url: "http://canary/", requests: 50 }
                              baseline: { url: "http://baseline/", requests: 50 }
                              allowedEffect: 0.25
                """);

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .singleElement()
                        .asString()
                        .contains(
                                "deploy-rollback.yaml:10: environments.production.gates[0].checks[0].canary.allowedEffect:",
                                "\"0.25\" is ambiguous: write the allowed effect with a percent sign, such as 25%"));
    }

    @Test
    public void everyBadPrometheusCommandCanaryOrApprovalValueIsReportedAtItsLineAndKey() throws Exception {
        Path file = write("""
                environments:
                  production:
                    targets: [ { path: /srv/app } ]
                    onInconclusive: shrug
                    approvers: [ "" ]
                    approvalTimeout: 8d
                    gates:
                      - name: metrics
                        checks:
                          - prometheus: { server: "prom:9090", query: up, noData: maybe, timeout: 0s }
                          - prometheus: { server: "http://prom:9090", query: up, max: 1, min: 0 }
                          - prometheus: { server: "http://prom:9090", query: up, above: high }
                          - command: { run: "", on: laptop, timeout: 2d }
                          - canary:
                              canary: { url: "http://canary/", requests: 10 }
                              baseline: { path: /x }
                              worse: bigger
                              confidence: 1.5
                              allowedEffect: -5%
                          - canary:
                              canary: { prometheus: "http://prom:9090", query: 'x', period: yesterday, step: 2h }
                          - approval: { approvers: alice, timeout: 0s, onNoAnswer: shrug }
                """);

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "deploy-rollback.yaml:4: environments.production.onInconclusive: \"shrug\" is not allowed; use ask, fail or pass",
                                        "deploy-rollback.yaml:5: environments.production.approvers[0]: \"\" is not a user name: give names of at most 200 characters, such as alice, as they give them with --by",
                                        "deploy-rollback.yaml:6: environments.production.approvalTimeout: The approval timeout 192 h 0 min is out of range: use 1s to 7d, such as 15m",
                                        "deploy-rollback.yaml:10: environments.production.gates[0].checks[0].prometheus.server: \"prom:9090\" is not an http:// or https:// address: give the Prometheus server's, such as http://127.0.0.1:9090",
                                        "deploy-rollback.yaml:10: environments.production.gates[0].checks[0].prometheus: has no threshold: give exactly one of max (the value must be <= it), min (>=), below (<) or above (>), such as max: 0.05",
                                        "deploy-rollback.yaml:10: environments.production.gates[0].checks[0].prometheus.noData: \"maybe\" is not allowed; use fail, inconclusive or pass",
                                        "deploy-rollback.yaml:10: environments.production.gates[0].checks[0].prometheus.timeout: 0s is out of range: use 1ms to 10m, such as 5s",
                                        "deploy-rollback.yaml:11: environments.production.gates[0].checks[1].prometheus.min: give exactly one threshold, not both max and min: a range is two checks",
                                        "deploy-rollback.yaml:12: environments.production.gates[0].checks[2].prometheus.above: \"high\" is not a number: write one such as 0.05, 12 or 1e-3",
                                        "deploy-rollback.yaml:13: environments.production.gates[0].checks[3].command.on: \"laptop\" is not allowed; use engine or targets",
                                        "deploy-rollback.yaml:13: environments.production.gates[0].checks[3].command.run: Command check command has no command: give the shell command to run",
                                        "deploy-rollback.yaml:13: environments.production.gates[0].checks[3].command.timeout: Command check command has timeout 48 h 0 min: use a duration between 1 ms and 24 h, such as 30s or 5m",
                                        "deploy-rollback.yaml:15: environments.production.gates[0].checks[4].canary.canary.requests: 10 requests are fewer than minSamples (50), so the comparison could never conclude: send at least 50 or lower minSamples",
                                        "deploy-rollback.yaml:16: environments.production.gates[0].checks[4].canary.baseline: gives neither url nor prometheus: give url: (latencies of HTTP requests to it) or prometheus: with query: (a Prometheus range query), one of them",
                                        "deploy-rollback.yaml:17: environments.production.gates[0].checks[4].canary.worse: \"bigger\" is not allowed; use either, higher or lower",
                                        "deploy-rollback.yaml:18: environments.production.gates[0].checks[4].canary.confidence: 1.5 is not a confidence level: use a number between 0 and 1 (both excluded), such as 0.95 or 0.98",
                                        "deploy-rollback.yaml:19: environments.production.gates[0].checks[4].canary.allowedEffect: \"-5%\" is not a percentage: write a number from 0 to 100, such as 5% or 99.5%",
                                        "deploy-rollback.yaml:21: environments.production.gates[0].checks[5].canary.canary.step: 2h is out of range: use 1s to 1h, such as 15s (the scrape interval)",
                                        "deploy-rollback.yaml:21: environments.production.gates[0].checks[5].canary.canary.period: \"yesterday\" is not allowed; use before-gate or since-gate",
                                        "deploy-rollback.yaml:21: environments.production.gates[0].checks[5].canary.baseline: is missing: give the baseline's values, either { url: http://… } (latencies of HTTP requests) or { prometheus: http://…:9090, query: '…' } (a Prometheus range query)",
                                        "deploy-rollback.yaml:22: environments.production.gates[0].checks[6].approval.onNoAnswer: \"shrug\" is not allowed; use fail, inconclusive or pass",
                                        "deploy-rollback.yaml:22: environments.production.gates[0].checks[6].approval.timeout: Approval check approval has timeout 0 ms: use 1s to 7d, such as 15m"));
    }

    @Test
    public void twoChecksOfOneKindNeedNamesAndGateNamesAreUniqueAcrossHealthChecksAndGates() throws Exception {
        Path file = write("""
                environments:
                  production:
                    targets: [ { path: /srv/app } ]
                    healthCheck: { url: "http://127.0.0.1:8080/health" }
                    gates:
                      - name: health
                        checks: [ { command: { run: "true" } } ]
                  staging:
                    targets: [ { path: /srv/app } ]
                    gates:
                      - name: smoke
                        checks:
                          - command: { run: ./a }
                          - command: { run: ./b }
                """);

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "deploy-rollback.yaml:3: environments.production: Environment production names gate \"health\" twice: names must be unique",
                                        "deploy-rollback.yaml:11: environments.staging.gates[0]: Gate smoke names check \"command\" twice: names must be unique"));
    }

    @Test
    public void strategyIsAllAtOnceUnlessGivenAndEachFormBecomesTheEnginesStrategy() throws Exception {
        Path file = write("""
                environments:
                  default:
                    targets: [ { path: /srv/a } ]
                  all:
                    targets: [ { path: /srv/a } ]
                    strategy: allAtOnce
                  batches:
                    targets: [ { path: /srv/a }, { path: /srv/b }, { path: /srv/c } ]
                    strategy: { rolling: { batch: 2 } }
                  share:
                    targets: [ { path: /srv/a }, { path: /srv/b }, { path: /srv/c } ]
                    strategy:
                      rolling:
                        batch: "25%"
                        maxFailedTargets: 1
                  steps:
                    targets: [ { path: /srv/a }, { path: /srv/b } ]
                    strategy: { canary: { steps: [1, "50%", "100%"] } }
                  slots:
                    targets: [ { path: /srv/a } ]
                    strategy: { blueGreen: { bluePort: 8081, greenPort: 8082 } }
                  slotsWithoutPorts:
                    targets: [ { path: /srv/a } ]
                    strategy: blueGreen
                """);

        CliConfig config = ConfigLoader.load(file);

        assertThat(config.environment("default").strategy()).isEqualTo(Strategy.ALL_AT_ONCE);
        assertThat(config.environment("all").strategy()).isEqualTo(Strategy.ALL_AT_ONCE);
        assertThat(config.environment("batches").strategy()).isEqualTo(new Strategy.Rolling(TargetCount.count(2), 0));
        assertThat(config.environment("share").strategy()).isEqualTo(new Strategy.Rolling(TargetCount.percent(25), 1));
        assertThat(config.environment("steps").strategy())
                .isEqualTo(new Strategy.Canary(
                        List.of(TargetCount.count(1), TargetCount.percent(50), TargetCount.percent(100))));
        assertThat(config.environment("slots").strategy()).isEqualTo(new Strategy.BlueGreen(8081, 8082));
        assertThat(config.environment("slotsWithoutPorts").strategy()).isEqualTo(new Strategy.BlueGreen(0, 0));
    }

    @Test
    public void everyBadStrategyValueIsReportedAtItsLineAndKeyWithHowToFixIt() throws Exception {
        Path file = write("""
                environments:
                  zero:
                    targets: [ { path: /srv/a } ]
                    strategy: { rolling: { batch: "0" } }
                  tooMuch:
                    targets: [ { path: /srv/a } ]
                    strategy: { rolling: { batch: "150%", maxFailedTargets: -1 } }
                  words:
                    targets: [ { path: /srv/a }, { path: /srv/b } ]
                    strategy: { rolling: { batch: abc, maxFailedTargets: 2, bacth: 1 } }
                  noBatch:
                    targets: [ { path: /srv/a } ]
                    strategy: { rolling: {} }
                  typo:
                    targets: [ { path: /srv/a } ]
                    strategy: rollin
                  unknown:
                    targets: [ { path: /srv/a } ]
                    strategy: { waves: { steps: [1] } }
                  two:
                    targets: [ { path: /srv/a } ]
                    strategy: { rolling: { batch: 1 }, canary: { steps: [1] } }
                  bare:
                    targets: [ { path: /srv/a } ]
                    strategy: canary
                  backwards:
                    targets: [ { path: /srv/a } ]
                    strategy:
                      canary:
                        steps:
                          - 2
                          - 1
                          - 50%
                          - 50%
                  noSteps:
                    targets: [ { path: /srv/a } ]
                    strategy: { canary: { steps: [] } }
                  samePort:
                    targets: [ { path: /srv/a } ]
                    strategy: { blueGreen: { bluePort: 8081, greenPort: 8081 } }
                  onePort:
                    targets: [ { path: /srv/a } ]
                    strategy: { blueGreen: { bluePort: 70000 } }
                  halfPorts:
                    targets: [ { path: /srv/a } ]
                    strategy: { blueGreen: { bluePort: 8081 } }
                """);

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "deploy-rollback.yaml:4: environments.zero.strategy.rolling.batch: A count of 0 targets is invalid: use 1 to 10000, or a share such as 25%",
                                        "deploy-rollback.yaml:7: environments.tooMuch.strategy.rolling.batch: A share of targets of 150% is invalid: use 1% to 100%, such as 25%",
                                        "deploy-rollback.yaml:7: environments.tooMuch.strategy.rolling.maxFailedTargets: A rolling deployment allowing -1 failed targets is invalid: use 0 (stop at the first) to 10000",
                                        "deploy-rollback.yaml:10: environments.words.strategy.rolling.bacth: is not a known setting (did you mean batch?); known here: batch, maxFailedTargets",
                                        "deploy-rollback.yaml:10: environments.words.strategy.rolling.batch: Number of targets \"abc\" is invalid: give a count such as 2, or a share such as 25%",
                                        "deploy-rollback.yaml:10: environments.words.strategy.rolling.maxFailedTargets: allows 2 failed targets out of 2, so a release that fails on every target would still be kept: use at most 1 (0 stops at the first failed target)",
                                        "deploy-rollback.yaml:13: environments.noBatch.strategy.rolling.batch: is missing: give how many targets switch at a time, a count such as 2 or a share of the targets such as 25%",
                                        "deploy-rollback.yaml:16: environments.typo.strategy: \"rollin\" is not a strategy (did you mean rolling?); use allAtOnce, rolling, canary or blueGreen, such as strategy: allAtOnce, { rolling: { batch: 2 } }, { canary: { steps: [1, 50%, 100%] } } or { blueGreen: { bluePort: 8081, greenPort: 8082 } }",
                                        "deploy-rollback.yaml:19: environments.unknown.strategy.waves: is not a known setting; known here: allAtOnce, blueGreen, canary, rolling",
                                        "deploy-rollback.yaml:22: environments.two.strategy: names 2 strategies (rolling, canary): give one strategy, such as strategy: allAtOnce, { rolling: { batch: 2 } }, { canary: { steps: [1, 50%, 100%] } } or { blueGreen: { bluePort: 8081, greenPort: 8082 } }",
                                        "deploy-rollback.yaml:25: environments.bare.strategy: a canary deployment needs its steps: write strategy: { canary: { steps: [1, 50%, 100%] } }",
                                        "deploy-rollback.yaml:32: environments.backwards.strategy.canary.steps[1]: Canary step 1 comes after 2: each step must switch more targets than the one before",
                                        "deploy-rollback.yaml:34: environments.backwards.strategy.canary.steps[3]: Canary step 50% comes after 50%: each step must switch more targets than the one before",
                                        "deploy-rollback.yaml:37: environments.noSteps.strategy.canary.steps: is empty: give the steps in order, each how many targets are switched once it is done (a count or a share of the targets), such as [1, 50%, 100%]",
                                        "deploy-rollback.yaml:40: environments.samePort.strategy.blueGreen.greenPort: Blue/green slots both use port 8081: give each slot its own port, such as 8081 and 8082",
                                        "deploy-rollback.yaml:43: environments.onePort.strategy.blueGreen.bluePort: 70000 is not a port: use 1 to 65535, or leave it out when the hooks and gates need no port",
                                        "deploy-rollback.yaml:46: environments.halfPorts.strategy.blueGreen.greenPort: is missing while bluePort is 8081: give each slot its own port, such as bluePort: 8081 and greenPort: 8082, or neither when the hooks and gates need no port"));
    }

    @Test
    public void aCanarySourceNamingHostReadsEachSideOfARolloutInSteps() throws Exception {
        Path file = write("""
                environments:
                  production:
                    targets: [ { path: /srv/a }, { path: /srv/b }, { path: /srv/c } ]
                    strategy: { canary: { steps: [1, 50%] } }
                    gates:
                      - name: latency
                        checks:
                          - canary:
                              canary: { url: "http://{host}:8080/api", requests: 60, requestInterval: 20ms, timeout: 2s }
                              baseline: { url: "http://{host}:8080/api" }
                              minSamples: 60
                """);

        Environment production = ConfigLoader.load(file).environment("production");

        CanaryCheck check = (CanaryCheck) production.gates().get(0).checks().get(0);
        assertThat(check.canary())
                .isEqualTo(new TargetLatencySource(
                        "http://{host}:8080/api", 60, Duration.ofMillis(20), Duration.ofSeconds(2)));
        assertThat(check.baseline())
                .isEqualTo(new TargetLatencySource(
                        "http://{host}:8080/api", 60, HttpCheck.DEFAULT_REQUEST_INTERVAL, HttpCheck.DEFAULT_TIMEOUT));
        assertThat(check.comparesTargets()).isTrue();
    }

    @Test
    public void aSourceNamingHostIsRefusedWhereItWouldNeverRunOrIsNoURL() throws Exception {
        Path file = write("""
                environments:
                  production:
                    targets: [ { path: /srv/a }, { path: /srv/b } ]
                    gates:
                      - name: latency
                        checks:
                          - canary:
                              canary: { url: "http://{host}:8080/api" }
                              baseline: { url: "http://baseline/" }
                  alone:
                    targets: [ { path: /srv/a } ]
                    strategy: { rolling: { batch: 1 } }
                    gates:
                      - name: latency
                        checks:
                          - canary:
                              canary: { url: "http://{host}:8080/api" }
                              baseline: { url: "ftp://{host}/api", requests: 10, timeout: 0s }
                """);

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "deploy-rollback.yaml:8: environments.production.gates[0].checks[0].canary.canary.url: names {host}, so it compares the targets already switched with the others, but the environment's strategy is all at once, which never has some targets switched and others not: the check would never run. Give the environment strategy: { canary: { steps: [1, 50%] } } or strategy: { rolling: { batch: 25% } }, or name one host instead of {host}",
                                        "deploy-rollback.yaml:17: environments.alone.gates[0].checks[0].canary.canary.url: names {host}, so it compares the targets already switched with the others, but the environment has a single target: there is never a target left to compare with. Add targets, or name one host instead of {host}",
                                        "deploy-rollback.yaml:18: environments.alone.gates[0].checks[0].canary.baseline.requests: 10 requests are fewer than minSamples (50), so the comparison could never conclude: send at least 50 or lower minSamples",
                                        "deploy-rollback.yaml:18: environments.alone.gates[0].checks[0].canary.baseline.url: \"ftp://{host}/api\" is not an http:// or https:// URL: give one with {host} where each target's host goes, such as http://{host}:8080/api",
                                        "deploy-rollback.yaml:18: environments.alone.gates[0].checks[0].canary.baseline.timeout: HTTP latency source for http://127.0.0.1/ has timeout 0 ms: use 1ms to 10m, such as 2s"));
    }
}
