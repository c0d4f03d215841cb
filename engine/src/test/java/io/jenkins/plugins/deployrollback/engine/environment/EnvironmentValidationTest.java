package io.jenkins.plugins.deployrollback.engine.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;
import io.jenkins.plugins.deployrollback.engine.retention.RetentionPolicy;
import io.jenkins.plugins.deployrollback.engine.targets.SharedPath;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.targets.local.LocalTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class EnvironmentValidationTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private static final EnvironmentName STAGING = EnvironmentName.of("staging");

    private Target target(String name) {
        return new LocalTarget(name, temp.getRoot().toPath().resolve(name));
    }

    private Environment environment(List<Target> targets, List<Hook> hooks, Map<String, String> variables) {
        return new Environment(STAGING, targets, hooks, null, null, null, null, true, variables);
    }

    private static Hook hook(String name) {
        return new Hook(name, HookPhase.AFTER_SWITCH, RunOn.BOTH, "true", null);
    }

    @Test
    public void environmentWithoutSettingsGetsTheDefaults() {
        Environment environment = environment(List.of(target("web-1")), null, null);

        assertThat(environment.hooks()).isEmpty();
        assertThat(environment.gates()).isEmpty();
        assertThat(environment.gatePolicy())
                .isEqualTo(io.jenkins.plugins.deployrollback.engine.gate.GatePolicy.DEFAULT);
        assertThat(environment.shared()).isEmpty();
        assertThat(environment.variables()).isEmpty();
        assertThat(environment.retention()).isEqualTo(RetentionPolicy.DEFAULT);
        assertThat(environment.lockTimeout()).isEqualTo(Environment.DEFAULT_LOCK_TIMEOUT);
    }

    @Test
    public void environmentWithoutTargetsIsRefusedAskingForOne() {
        assertThatThrownBy(() -> environment(List.of(), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Environment staging has no targets: give at least one");
        assertThatThrownBy(() -> environment(null, null, null)).hasMessageContaining("has no targets");
    }

    @Test
    public void targetNamedTwiceIsRefusedNamingIt() {
        assertThatThrownBy(() -> environment(List.of(target("web-1"), target("web-2"), target("web-1")), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Environment staging names target \"web-1\" twice: names must be unique");
    }

    @Test
    public void hookNamedTwiceIsRefusedNamingIt() {
        assertThatThrownBy(() -> environment(
                        List.of(target("web-1")), List.of(hook("restart"), hook("migrate"), hook("restart")), null))
                .hasMessage("Environment staging names hook \"restart\" twice: names must be unique");
    }

    @Test
    public void sharedPathNamedTwiceIsRefused() {
        assertThatThrownBy(() -> new Environment(
                        STAGING,
                        List.of(target("web-1")),
                        null,
                        null,
                        List.of(SharedPath.parse("logs/"), SharedPath.parse("logs")),
                        null,
                        null,
                        true,
                        null))
                .hasMessage("Environment staging names shared path \"logs\" twice: names must be unique");
    }

    @Test
    public void variablesStartingWithDeployAreReservedForTheEngine() {
        assertThatThrownBy(() -> environment(List.of(target("web-1")), null, Map.of("DEPLOY_RELEASE", "r9")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "Variable \"DEPLOY_RELEASE\" of environment staging is invalid: use letters, digits and '_', "
                                + "not starting with a digit or DEPLOY_ (reserved)");
    }

    @Test
    public void variableNamesMustBeShellNames() {
        for (String bad : new String[] {"1ST", "APP-NAME", "APP NAME", ""}) {
            assertThatThrownBy(() -> environment(List.of(target("web-1")), null, Map.of(bad, "x")))
                    .as("variable %s", bad)
                    .hasMessageContaining("of environment staging is invalid: use letters, digits and '_'");
        }
        assertThat(environment(List.of(target("web-1")), null, Map.of("APP_NAME", "shop", "_x", "1"))
                        .variables())
                .containsOnlyKeys("APP_NAME", "_x");
    }

    @Test
    public void variableValueWithNulIsRefused() {
        assertThatThrownBy(() -> environment(List.of(target("web-1")), null, Map.of("APP", "a\0b")))
                .hasMessage("Variable APP of environment staging has no value or a NUL");
    }

    @Test
    public void lockTimeoutBelowOneSecondIsRefused() {
        assertThatThrownBy(() -> new Environment(
                        STAGING, List.of(target("web-1")), null, null, null, null, Duration.ofMillis(999), true, null))
                .hasMessage("Environment staging has lock timeout PT0.999S: use at least 1s");
    }

    @Test
    public void localTargetRootMustBeAbsolute() {
        assertThatThrownBy(() -> new LocalTarget("web-1", Path.of("relative/root")))
                .hasMessageContaining(
                        "\"relative/root\" is not an absolute path: give the full path of the folder to deploy into");
    }
}
