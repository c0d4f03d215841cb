package io.jenkins.plugins.deployrollback.engine.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.flow.DeployRequest;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentResult;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseFolders;
import io.jenkins.plugins.deployrollback.engine.testing.Stack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A command check, run for real: on the engine's machine, and on every target through a deploy. */
public class CommandCheckTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final Clock clock = Clock.systemUTC();
    private final GateContext context = new GateContext(
            EnvironmentName.of("staging"),
            ReleaseId.of("r2"),
            ReleaseId.of("r1"),
            clock.instant(),
            clock,
            null,
            null,
            null,
            null,
            Map.of("DEPLOY_ENVIRONMENT", "staging", "DEPLOY_RELEASE", "r2", "APP_NAME", "shop"),
            null);

    @Test
    public void exitZeroPasses() throws Exception {
        Sample sample = onEngine("echo all good").measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.PASS);
        assertThat(sample.summary()).isEqualTo("exit 0");
        assertThat(sample.measurements()).singleElement().satisfies(m -> {
            assertThat(m.subject()).isEqualTo("sh -c \"echo all good\"");
            assertThat(m.observed()).startsWith("exit 0 in ");
            assertThat(m.threshold()).isEqualTo("exit 0");
        });
    }

    @Test
    public void nonZeroExitFailsWithTheLastLineOfOutputAsEvidence() throws Exception {
        Sample sample = onEngine("echo 'checking cart'; echo 'checkout answered 502'; exit 3")
                .measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.FAIL);
        assertThat(sample.summary()).startsWith("exit 3 in ").endsWith("(last output: \"checkout answered 502\")");
        assertThat(sample.measurements()).singleElement().satisfies(m -> assertThat(m.result())
                .isEqualTo(SampleResult.FAIL));
    }

    @Test
    public void commandRunningPastItsTimeoutIsStoppedWithWhatItStartedAndFails() throws Exception {
        Path pid = temp.getRoot().toPath().resolve("sleeper.pid");
        CommandCheck check = new CommandCheck(
                "smoke",
                "sleep 60 & echo $! > '" + pid + "'; wait",
                CommandCheck.Where.ENGINE,
                Duration.ofMillis(500),
                false);

        Sample sample = check.measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.FAIL);
        assertThat(sample.summary()).startsWith("timed out after ").contains("and was stopped");
        long sleeper = Long.parseLong(Files.readString(pid).trim());
        io.jenkins.plugins.deployrollback.engine.testing.Gate.await(
                "the command's child to be gone", () -> !running(sleeper));
    }

    @Test
    public void theGatesVariablesReachTheCommand() throws Exception {
        Sample sample = onEngine("test \"$DEPLOY_RELEASE\" = r2 && test \"$APP_NAME\" = shop"
                        + " && test \"$DEPLOY_ENVIRONMENT\" = staging")
                .measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.PASS);
    }

    @Test
    public void onTheEngineItRunsInTheContextsWorkingFolder() throws Exception {
        Path workspace = temp.newFolder("workspace").toPath();
        Files.writeString(workspace.resolve("smoke.sh"), "pwd -P > where\n");
        GateContext inWorkspace = new GateContext(
                context.environment(),
                context.release(),
                context.previous(),
                context.startedAt(),
                clock,
                null,
                null,
                null,
                null,
                context.variables(),
                workspace);

        Sample sample = onEngine("sh smoke.sh").measure(1, inWorkspace);

        assertThat(sample.result()).isEqualTo(SampleResult.PASS);
        assertThat(Files.readString(workspace.resolve("where")).trim())
                .isEqualTo(workspace.toRealPath().toString());
    }

    @Test
    public void anEngineGivenAWorkingFolderRunsItsCommandChecksThere() throws Exception {
        Path workspace = temp.newFolder("workspace").toPath();
        Files.writeString(workspace.resolve("smoke.sh"), "echo \"$DEPLOY_RELEASE\" > checked\n");
        try (Stack stack = new Stack(temp.newFolder("stack").toPath(), 1)) {
            stack.gates = List.of(new Gate("smoke", List.of(onEngine("sh smoke.sh")), GateWindow.DEFAULT));
            ReleaseFolders.Prepared r1 = stack.releases.healthy("r1");

            DeploymentResult result = stack.engine
                    .withWorkingFolder(workspace)
                    .deploy(stack.environment(), new DeployRequest(r1.release(), r1.source(), "tester", null));

            assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(Files.readString(workspace.resolve("checked")).trim()).isEqualTo("r1");
        }
    }

    @Test
    public void onTargetsWithoutAccessToThemIsAMeasurementError() throws Exception {
        CommandCheck check = new CommandCheck("smoke", "true", CommandCheck.Where.TARGETS, null, false);

        Sample sample = check.measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.ERROR);
        assertThat(sample.summary()).contains("cannot run on them");
    }

    @Test
    public void onTargetsItRunsInTheLiveReleaseFolderOfEveryTarget() throws Exception {
        try (Stack stack = new Stack(temp.newFolder("stack").toPath(), 2)) {
            stack.gates = List.of(new Gate(
                    "smoke",
                    List.of(new CommandCheck(
                            "in-release",
                            "test -f index.html && pwd -P > \"$DEPLOY_ROOT/checked-in-$DEPLOY_RELEASE\"",
                            CommandCheck.Where.TARGETS,
                            Duration.ofSeconds(30),
                            false)),
                    GateWindow.DEFAULT));

            DeploymentResult result = stack.deployHealthy("r1");

            assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
            for (Path root : stack.roots) {
                assertThat(Files.readString(root.resolve("checked-in-r1"), StandardCharsets.UTF_8)
                                .trim())
                        .isEqualTo(root.resolve("releases/r1").toRealPath().toString());
            }
            assertThat(result.gates()).singleElement().satisfies(gate -> assertThat(
                            gate.checks().get(0).measurements())
                    .extracting(Measurement::subject)
                    .satisfiesExactly(
                            s -> assertThat(s).startsWith("sh -c ").endsWith(" on web-1"),
                            s -> assertThat(s).startsWith("sh -c ").endsWith(" on web-2")));
        }
    }

    @Test
    public void onTargetsEveryTargetMustPassAndTheFailingOneIsNamed() throws Exception {
        try (Stack stack = new Stack(temp.newFolder("stack").toPath(), 2)) {
            stack.deployHealthy("r1");
            Files.writeString(stack.roots.get(1).resolve("maintenance"), "");
            stack.gates = List.of(new Gate(
                    "smoke",
                    List.of(new CommandCheck(
                            "no-maintenance",
                            "test ! -f \"$DEPLOY_ROOT/maintenance\" || { echo 'in maintenance'; exit 4; }",
                            CommandCheck.Where.TARGETS,
                            Duration.ofSeconds(30),
                            false)),
                    GateWindow.DEFAULT));

            DeploymentResult result = stack.deployHealthy("r2");

            assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
            assertThat(result.cause()).contains("Gate smoke FAIL", "web-2: exit 4", "in maintenance");
            assertThat(result.cause()).doesNotContain("web-1:");
            assertThat(stack.live(0)).isEqualTo("releases/r1");
            assertThat(stack.live(1)).isEqualTo("releases/r1");
        }
    }

    private static CommandCheck onEngine(String command) {
        return new CommandCheck("smoke", command, CommandCheck.Where.ENGINE, Duration.ofSeconds(30), false);
    }

    /** Whether {@code pid} runs: a zombie (killed, not yet reaped by whoever adopted it) does not. */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.ISO_8859_1);
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
