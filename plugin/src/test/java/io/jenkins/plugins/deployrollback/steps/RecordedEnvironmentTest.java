package io.jenkins.plugins.deployrollback.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.config.AllAtOnceStrategySpec;
import io.jenkins.plugins.deployrollback.config.BlueGreenStrategySpec;
import io.jenkins.plugins.deployrollback.config.CommandCheckSpec;
import io.jenkins.plugins.deployrollback.config.EnvironmentSpec;
import io.jenkins.plugins.deployrollback.config.GateSpec;
import io.jenkins.plugins.deployrollback.config.RollingStrategySpec;
import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.gate.Gate;
import io.jenkins.plugins.deployrollback.engine.strategy.Strategy;
import io.jenkins.plugins.deployrollback.engine.strategy.TargetCount;
import io.jenkins.plugins.deployrollback.engine.targets.local.LocalTarget;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/**
 * A step that names only the environment acts on the definition this job's last deploy recorded,
 * with the options the step itself gives in place of the recorded ones, and only those. Plain data:
 * no Jenkins needed.
 */
public class RecordedEnvironmentTest {
    private static final Path WORKSPACE = Path.of("/ws");

    /**
     * What a deploy of {@code prod} to a folder with a smoke gate, keeping 5 releases, rolling out in
     * batches of 2 with one failed target allowed, recorded.
     */
    private static EnvironmentSpec recorded() {
        DeployStep deploy = new DeployStep("prod", "app");
        deploy.setPath("target-dir");
        deploy.setGates(List.of(gate("smoke")));
        deploy.setAutoRollback(false);
        deploy.setStrategy(rolling("2", 1));
        return deploy.spec();
    }

    @Test
    public void aStepGivingNoOptionTakesTheRecordedDefinitionWhole() {
        RollbackStep rollback = new RollbackStep("prod");

        Environment environment = rollback.spec(recorded()).toEngine(null, WORKSPACE);

        assertThat(rollback.givenOptions()).isEmpty();
        assertThat(environment.targets())
                .singleElement()
                .isInstanceOfSatisfying(
                        LocalTarget.class,
                        target -> assertThat(target.root()).isEqualTo(WORKSPACE.resolve("target-dir")));
        assertThat(environment.gates()).extracting(Gate::name).containsExactly("smoke");
        assertThat(environment.autoRollback()).isFalse();
        assertThat(environment.retention().keepReleases()).isEqualTo(5);
        assertThat(environment.strategy()).isEqualTo(new Strategy.Rolling(TargetCount.count(2), 1));
    }

    @Test
    public void optionsTheStepGivesReplaceTheRecordedOnesAndTheRestStay() {
        RollbackStep rollback = new RollbackStep("prod");
        rollback.setKeepReleases(2);
        rollback.setAutoRollback(true);

        Environment environment = rollback.spec(recorded()).toEngine(null, WORKSPACE);

        assertThat(rollback.givenOptions()).containsExactlyInAnyOrder("keepReleases", "autoRollback");
        assertThat(environment.retention().keepReleases()).isEqualTo(2);
        assertThat(environment.autoRollback()).isTrue();
        assertThat(environment.gates()).extracting(Gate::name).containsExactly("smoke");
        assertThat(environment.strategy()).isEqualTo(new Strategy.Rolling(TargetCount.count(2), 1));
    }

    @Test
    public void aStrategyTheStepGivesReplacesTheRecordedOne() {
        RollForwardStep rollForward = new RollForwardStep("prod");
        BlueGreenStrategySpec blueGreen = new BlueGreenStrategySpec();
        blueGreen.setBluePort(8081);
        blueGreen.setGreenPort(8082);
        rollForward.setStrategy(blueGreen);

        Environment environment = rollForward.spec(recorded()).toEngine(null, WORKSPACE);

        assertThat(rollForward.givenOptions()).containsExactly("strategy");
        assertThat(environment.strategy()).isEqualTo(new Strategy.BlueGreen(8081, 8082));
        assertThat(environment.gates()).extracting(Gate::name).containsExactly("smoke");
        assertThat(environment.autoRollback()).isFalse();
    }

    @Test
    public void allAtOnceGivenReplacesARecordedStrategyThoughItIsTheDefault() {
        DeployStep deploy = new DeployStep("prod", "app");
        deploy.setStrategy(new AllAtOnceStrategySpec());

        assertThat(deploy.spec(recorded()).toEngine(null, WORKSPACE).strategy()).isEqualTo(Strategy.ALL_AT_ONCE);
    }

    @Test
    public void aStepGivingNoStrategyDefinesAnEnvironmentThatGoesLiveAllAtOnce() {
        DeployStep deploy = new DeployStep("prod", "app");
        deploy.setPath("target-dir");

        assertThat(deploy.getStrategy()).isEqualTo(new AllAtOnceStrategySpec());
        assertThat(deploy.spec().toEngine(null, WORKSPACE).strategy()).isEqualTo(Strategy.ALL_AT_ONCE);
    }

    @Test
    public void anOptionGivenWithItsDefaultValueStillReplacesTheRecordedOne() {
        VerifyGateStep verify = new VerifyGateStep("prod");
        verify.setGates(List.of());

        assertThat(verify.spec(recorded()).toEngine(null, WORKSPACE).gates()).isEmpty();
    }

    @Test
    public void aRotatedCredentialReplacesTheRecordedOneAndHostsStay() {
        DeployStep deploy = new DeployStep("prod", "app");
        deploy.setHosts(List.of("web-1", "web-2:2222"));
        deploy.setPath("/srv/app");
        deploy.setCredentialsId("deploy-key-2024");
        RollbackStep rollback = new RollbackStep("prod");
        rollback.setCredentialsId("deploy-key-2025");

        EnvironmentSpec spec = rollback.spec(deploy.spec());

        assertThat(spec.getCredentialsId()).isEqualTo("deploy-key-2025");
        assertThat(spec.getHosts()).containsExactly("web-1", "web-2:2222");
        assertThat(spec.getPath()).isEqualTo("/srv/app");
    }

    @Test
    public void aStepGivingHostsOrAPathDefinesTheEnvironmentItself() {
        RollbackStep rollback = new RollbackStep("prod");
        rollback.setPath("other-dir");

        assertThat(rollback.definesEnvironment()).isTrue();
        assertThat(rollback.spec().getPath()).isEqualTo("other-dir");
        assertThat(rollback.spec().getGates()).isEmpty();
    }

    private static RollingStrategySpec rolling(String batch, int maxFailedTargets) {
        RollingStrategySpec rolling = new RollingStrategySpec(batch);
        rolling.setMaxFailedTargets(maxFailedTargets);
        return rolling;
    }

    private static GateSpec gate(String name) {
        GateSpec gate = new GateSpec(name);
        gate.setChecks(List.of(new CommandCheckSpec(name, "true")));
        return gate;
    }
}
