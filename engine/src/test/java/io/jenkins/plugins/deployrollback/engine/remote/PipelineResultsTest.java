package io.jenkins.plugins.deployrollback.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentResult;
import io.jenkins.plugins.deployrollback.engine.flow.VerifyResult;
import io.jenkins.plugins.deployrollback.engine.gate.CheckVerdict;
import io.jenkins.plugins.deployrollback.engine.gate.GateVerdict;
import io.jenkins.plugins.deployrollback.engine.gate.Measurement;
import io.jenkins.plugins.deployrollback.engine.gate.SampleResult;
import io.jenkins.plugins.deployrollback.engine.gate.Verdict;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.testing.Stack;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class PipelineResultsTest {
    private static final EnvironmentName PRODUCTION = EnvironmentName.of("production");
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.5Z");
    private static final Set<Class<?>> PLAIN =
            Set.of(String.class, Boolean.class, Integer.class, Long.class, ArrayList.class, LinkedHashMap.class);

    private static final GateVerdict SMOKE = new GateVerdict(
            "smoke",
            Verdict.FAIL,
            "errors: error rate 100% > 0% in 1 of 1 sample (limit 0)",
            List.of(new CheckVerdict(
                    "errors",
                    "http",
                    Verdict.FAIL,
                    "error rate 100% > 0% in 1 of 1 sample (limit 0)",
                    false,
                    1,
                    List.of(new Measurement(
                            1, T0, "GET http://web-1/health", "error rate 100%", "<= 0%", SampleResult.FAIL)))));

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void aDeploymentReadsAsNamedPlainValuesWithItsGatesChecksAndMeasurements() {
        DeploymentRecord record = new DeploymentRecord(
                "rec-7",
                PRODUCTION,
                Operation.DEPLOY,
                ReleaseId.of("r2"),
                ReleaseId.of("r1"),
                ReleaseId.of("r1"),
                Outcome.ROLLED_BACK,
                "alice",
                "smoke FAIL",
                T0,
                T0.plusSeconds(9),
                List.of(SMOKE),
                null,
                null,
                List.of("retention on web-2 stopped"));
        DeploymentResult result = new DeploymentResult(
                Operation.DEPLOY,
                PRODUCTION,
                ReleaseId.of("r2"),
                ReleaseId.of("r1"),
                ReleaseId.of("r1"),
                Outcome.ROLLED_BACK,
                true,
                true,
                ReleaseId.of("r1"),
                "smoke FAIL",
                List.of(SMOKE),
                null,
                record);

        Map<String, Object> map = PipelineResults.of(result);

        assertThat(map)
                .containsExactly(
                        entry("operation", "deploy"),
                        entry("environment", "production"),
                        entry("release", "r2"),
                        entry("previous", "r1"),
                        entry("live", "r1"),
                        entry("lastKnownGood", "r1"),
                        entry("outcome", "ROLLED_BACK"),
                        entry("succeeded", false),
                        entry("changed", true),
                        entry("rolledBack", true),
                        entry("cause", "smoke FAIL"),
                        entry("recordId", "rec-7"),
                        entry("warnings", List.of("retention on web-2 stopped")),
                        entry("gates", List.of(smokeAsMap())));
        assertOnlyPlainValues(map);
    }

    @Test
    public void absentValuesAreLeftOutRatherThanNull() {
        DeploymentResult nothingToDo = new DeploymentResult(
                Operation.ROLL_FORWARD,
                PRODUCTION,
                ReleaseId.of("r1"),
                null,
                ReleaseId.of("r1"),
                Outcome.SUCCEEDED,
                false,
                false,
                null,
                null,
                List.of(),
                null,
                null);

        Map<String, Object> map = PipelineResults.of(nothingToDo);

        assertThat(map)
                .containsExactly(
                        entry("operation", "roll-forward"),
                        entry("environment", "production"),
                        entry("release", "r1"),
                        entry("live", "r1"),
                        entry("outcome", "SUCCEEDED"),
                        entry("succeeded", true),
                        entry("changed", false),
                        entry("rolledBack", false),
                        entry("warnings", List.of()),
                        entry("gates", List.of()));
        assertOnlyPlainValues(map);
    }

    @Test
    public void aVerificationWhoseRollbackWasRefusedSaysWhy() {
        VerifyResult result = new VerifyResult(
                PRODUCTION, ReleaseId.of("r2"), Verdict.FAIL, List.of(SMOKE), null, "nothing to roll back to");

        Map<String, Object> map = PipelineResults.of(result);

        assertThat(map)
                .containsExactly(
                        entry("environment", "production"),
                        entry("live", "r2"),
                        entry("verdict", "FAIL"),
                        entry("passed", false),
                        entry("gates", List.of(smokeAsMap())),
                        entry("rollbackRefused", "nothing to roll back to"));
        assertOnlyPlainValues(map);
    }

    @Test
    public void realResultsOfTheEngineHoldOnlyPlainJdkValues() throws Exception {
        try (Stack stack = new Stack(temp.getRoot().toPath(), 1)) {
            stack.deployHealthy("r1");
            Map<String, Object> deployed = PipelineResults.of(stack.deployHealthy("r2"));
            Map<String, Object> rolledBack = PipelineResults.of(stack.deploy(stack.releases.broken("r3")));
            Files.writeString(stack.root().resolve("releases/r2/status"), "500\n");
            Map<String, Object> verified = PipelineResults.of(stack.engine.verifyOrRollBack(stack.environment(), "ci"));

            assertThat(deployed)
                    .containsEntry("succeeded", true)
                    .containsEntry(
                            "recordId",
                            stack.engine.history(stack.name).records().get(1).id());
            assertThat(rolledBack).containsEntry("outcome", "ROLLED_BACK").containsEntry("live", "r2");
            assertThat(verified)
                    .containsEntry("verdict", "FAIL")
                    .containsEntry("passed", false)
                    .doesNotContainKey("rollbackRefused");
            assertThat(verified.get("rollback"))
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("operation", "rollback")
                    .containsEntry("release", "r1")
                    .containsEntry("previous", "r2");
            for (Map<String, Object> map : List.of(deployed, rolledBack, verified)) {
                assertOnlyPlainValues(map);
            }
        }
    }

    private static Map<String, Object> smokeAsMap() {
        return Map.of(
                "name",
                "smoke",
                "verdict",
                "FAIL",
                "reason",
                "errors: error rate 100% > 0% in 1 of 1 sample (limit 0)",
                "checks",
                List.of(Map.of(
                        "name",
                        "errors",
                        "kind",
                        "http",
                        "verdict",
                        "FAIL",
                        "reason",
                        "error rate 100% > 0% in 1 of 1 sample (limit 0)",
                        "dryRun",
                        false,
                        "samples",
                        1,
                        "measurements",
                        List.of(Map.of(
                                "sample",
                                1,
                                "at",
                                "2026-11-23T10:00:00.500Z",
                                "subject",
                                "GET http://web-1/health",
                                "observed",
                                "error rate 100%",
                                "threshold",
                                "<= 0%",
                                "result",
                                "FAIL")))));
    }

    /** Walks the whole structure: every value is one of the plain JDK types, every key a string, none null. */
    private static void assertOnlyPlainValues(Object value) {
        assertThat(value).isNotNull();
        assertThat(PLAIN).as("type of " + value).contains(value.getClass());
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, inner) -> {
                assertThat(key).isInstanceOf(String.class);
                assertOnlyPlainValues(inner);
            });
        } else if (value instanceof List<?> list) {
            list.forEach(PipelineResultsTest::assertOnlyPlainValues);
        }
    }
}
