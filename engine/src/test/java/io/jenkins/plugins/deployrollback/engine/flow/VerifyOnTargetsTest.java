package io.jenkins.plugins.deployrollback.engine.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.gate.CommandCheck;
import io.jenkins.plugins.deployrollback.engine.gate.Gate;
import io.jenkins.plugins.deployrollback.engine.gate.GatePolicy;
import io.jenkins.plugins.deployrollback.engine.gate.GateWindow;
import io.jenkins.plugins.deployrollback.engine.gate.InconclusiveAction;
import io.jenkins.plugins.deployrollback.engine.gate.Verdict;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLock;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import io.jenkins.plugins.deployrollback.engine.targets.local.LocalTarget;
import io.jenkins.plugins.deployrollback.engine.testing.Stack;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A verify whose command check runs on the targets: all of them or none, under their locks, released after. */
public class VerifyOnTargetsTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Stack stack;

    @Before
    public void setUp() throws Exception {
        stack = new Stack(temp.getRoot().toPath(), 2);
        // Each target notes that the check ran there, in the live release's folder.
        stack.gates = List.of(new Gate(
                "on-targets",
                List.of(new CommandCheck(
                        "marker",
                        "pwd > \"$DEPLOY_ROOT/shared/checked-in\"",
                        CommandCheck.Where.TARGETS,
                        Duration.ofSeconds(30),
                        false)),
                GateWindow.DEFAULT));
        stack.gatePolicy = new GatePolicy(InconclusiveAction.FAIL, null, null, false);
    }

    @After
    public void tearDown() {
        stack.close();
    }

    @Test
    public void verifyRunsTheCheckOnEveryTargetAndReleasesTheLocksAfterwards() throws Exception {
        stack.deployHealthy("r1");
        for (int i = 0; i < 2; i++) {
            Files.deleteIfExists(stack.roots.get(i).resolve("shared/checked-in"));
        }

        VerifyResult verified = stack.engine.verify(stack.environment(), "monitor");

        assertThat(verified.verdict()).isEqualTo(Verdict.PASS);
        for (int i = 0; i < 2; i++) {
            assertThat(Files.readString(stack.roots.get(i).resolve("shared/checked-in")))
                    .contains("releases/r1");
        }
        assertThat(stack.engine.status(stack.environment()).targets())
                .extracting(TargetState::lock)
                .containsOnlyNulls();
    }

    @Test
    public void verifyWhileAnotherOperationHoldsATargetRunsNowhereAndNeverPasses() throws Exception {
        stack.deployHealthy("r1");
        Files.deleteIfExists(stack.roots.get(0).resolve("shared/checked-in"));
        OperationContext other = new OperationContext(
                stack.name, Operation.DEPLOY, "someone else", Clock.systemUTC(), ProgressListener.SILENT);
        try (TargetSession session = new LocalTarget("web-2", stack.roots.get(1)).open(other);
                TargetLock held = session.lock("deploy by someone else", Duration.ofMinutes(5))) {

            VerifyResult verified = stack.engine.verify(stack.environment(), "monitor");

            assertThat(verified.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(verified.gates().get(0).reason())
                    .contains("no sample passed", "Target web-2 is locked by someone else");
            assertThat(stack.roots.get(0).resolve("shared/checked-in")).doesNotExist();
            assertThat(stack.engine.status(stack.environment()).targets().get(0).lock())
                    .as("the lock taken on web-1 before web-2 refused")
                    .isNull();
        }
    }

    @Test
    public void verifyWithNothingLiveSaysSoInsteadOfMeasuring() throws Exception {
        VerifyResult verified = stack.engine.verify(stack.environment(), "monitor");

        assertThat(verified.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(verified.gates()).singleElement().satisfies(g -> assertThat(g.reason())
                .isEqualTo("nothing is live in staging: there is nothing to verify"));
    }
}
