package io.jenkins.plugins.deployrollback.engine.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.plan.PlanRefusedException;
import io.jenkins.plugins.deployrollback.engine.plan.ReleaseSelector;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.testing.Stack;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RollForwardTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Stack stack;

    @Before
    public void setUp() throws Exception {
        stack = new Stack(temp.getRoot().toPath(), 1);
    }

    @After
    public void tearDown() {
        stack.close();
    }

    @Test
    public void rollForwardReturnsToTheReleaseMostRecentlyRolledBackFromAndRunsItsChecks() throws Exception {
        stack.deployHealthy("r1");
        stack.deployHealthy("r2");
        stack.rollback();

        DeploymentResult result = stack.rollForward();

        assertThat(result.operation()).isEqualTo(Operation.ROLL_FORWARD);
        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.release()).isEqualTo(ReleaseId.of("r2"));
        assertThat(result.gates()).hasSize(1);
        assertThat(stack.live()).isEqualTo("releases/r2");
        assertThat(stack.engine.history(stack.name).lastKnownGood()).contains(ReleaseId.of("r2"));
    }

    @Test
    public void rollForwardToAReleaseWhoseDeploymentFailedIsRefusedUnlessForced() throws Exception {
        stack.deployHealthy("r1");
        stack.deploy(stack.releases.broken("r2"));

        assertThatThrownBy(() -> stack.rollForward())
                .isInstanceOf(PlanRefusedException.class)
                .hasMessageContaining("The last deployment of r2 to staging ended ROLLED_BACK")
                .hasMessageContaining("--force");

        DeploymentResult forced = stack.engine.rollForward(
                stack.environment(),
                new ReturnRequest(ReleaseSelector.byDefault(), true, "tester", "retry after the payments fix"));

        assertThat(forced.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(stack.live()).isEqualTo("releases/r1");
    }

    @Test
    public void rollForwardWithNothingRolledBackIsRefused() throws Exception {
        stack.deployHealthy("r1");

        assertThatThrownBy(() -> stack.rollForward())
                .isInstanceOf(PlanRefusedException.class)
                .hasMessageContaining("Nothing was rolled back in staging");
    }
}
