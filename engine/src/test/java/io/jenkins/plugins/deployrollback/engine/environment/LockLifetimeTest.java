package io.jenkins.plugins.deployrollback.engine.environment;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.gate.HttpHealthCheck;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;
import io.jenkins.plugins.deployrollback.engine.target.local.LocalTarget;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class LockLifetimeTest {
    private static Environment environment(Duration lockTimeout, List<Hook> hooks, List<HttpHealthCheck> checks) {
        return new Environment(
                EnvironmentName.of("production"),
                List.of(new LocalTarget(null, Path.of("/srv/app"))),
                hooks,
                checks,
                List.of(),
                null,
                lockTimeout,
                true,
                Map.of());
    }

    @Test
    public void lockLastsTheConfiguredTimeoutWhenEveryStageIsShorter() {
        Environment environment = environment(
                Duration.ofMinutes(30),
                List.of(new Hook("migrate", HookPhase.BEFORE_SWITCH, RunOn.DEPLOY, "./migrate", Duration.ofMinutes(5))),
                List.of());

        assertThat(environment.lockLifetime()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    public void lockOutlivesTheLongestHookSoItCannotExpireWhileTheHookRuns() {
        Environment environment = environment(
                Duration.ofMinutes(30),
                List.of(new Hook("migrate", HookPhase.BEFORE_SWITCH, RunOn.DEPLOY, "./migrate", Duration.ofHours(2))),
                List.of());

        assertThat(environment.lockLifetime()).isEqualTo(Duration.ofHours(2).plusMinutes(1));
    }

    @Test
    public void lockOutlivesTheLongestPossibleHealthCheck() {
        HttpHealthCheck slow = new HttpHealthCheck(
                "health",
                URI.create("http://127.0.0.1:8080/health"),
                200,
                Duration.ofMinutes(1),
                40,
                Duration.ofSeconds(30));
        Environment environment = environment(Duration.ofMinutes(30), List.of(), List.of(slow));

        assertThat(environment.lockLifetime()).isEqualTo(Duration.ofMinutes(61));
    }
}
