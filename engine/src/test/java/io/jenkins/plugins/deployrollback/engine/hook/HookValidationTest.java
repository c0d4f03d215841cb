package io.jenkins.plugins.deployrollback.engine.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.Test;

public class HookValidationTest {
    private static Hook hook(String name, String command, Duration timeout) {
        return new Hook(name, HookPhase.BEFORE_SWITCH, RunOn.DEPLOY, command, timeout);
    }

    @Test
    public void validHookKeepsItsSettingsAndDefaultsTheTimeout() {
        Hook hook = hook("migrate-db.v2", "./bin/migrate", null);

        assertThat(hook.name()).isEqualTo("migrate-db.v2");
        assertThat(hook.timeout()).isEqualTo(Hook.DEFAULT_TIMEOUT);
    }

    @Test
    public void nameWithBlanksSlashesOrNothingIsRefusedSayingWhatIsAllowed() {
        for (String bad : new String[] {"migrate db", "a/b", "", "-x", "h".repeat(65)}) {
            assertThatThrownBy(() -> hook(bad, "true", null))
                    .as("hook name %s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(
                            "Hook name \"" + bad + "\" is invalid: use letters, digits, '.', '_' or '-' (at most 64)");
        }
        assertThatThrownBy(() -> hook(null, "true", null)).hasMessageContaining("Hook name (none) is invalid");
    }

    @Test
    public void emptyOrBlankCommandIsRefusedAskingForOne() {
        assertThatThrownBy(() -> hook("migrate", "", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Hook migrate has no command: give the shell command to run");
        assertThatThrownBy(() -> hook("migrate", "   ", null)).hasMessageContaining("has no command");
        assertThatThrownBy(() -> hook("migrate", null, null)).hasMessageContaining("has no command");
    }

    @Test
    public void commandWithNulOrLongerThan8192CharactersIsRefused() {
        assertThatThrownBy(() -> hook("migrate", "echo a\0b", null))
                .hasMessage("Hook migrate has an invalid command: at most 8192 characters and no NUL");
        assertThat(hook("migrate", "x".repeat(8192), null).command()).hasSize(8192);
        assertThatThrownBy(() -> hook("migrate", "x".repeat(8193), null))
                .hasMessageContaining("at most 8192 characters");
    }

    @Test
    public void timeoutMustLieBetweenOneMillisecondAndADay() {
        assertThat(hook("h", "true", Duration.ofMillis(1)).timeout()).isEqualTo(Duration.ofMillis(1));
        assertThat(hook("h", "true", Duration.ofHours(24)).timeout()).isEqualTo(Duration.ofHours(24));
        for (Duration bad : new Duration[] {
            Duration.ZERO, Duration.ofSeconds(-1), Duration.ofHours(24).plusMillis(1)
        }) {
            assertThatThrownBy(() -> hook("h", "true", bad))
                    .as("timeout %s", bad)
                    .hasMessage(
                            "Hook h has timeout " + bad + ": use a duration between 1 ms and 24 h, such as 30s or 5m");
        }
    }

    @Test
    public void phaseAndRunOnAreRequired() {
        assertThatThrownBy(() -> new Hook("h", null, RunOn.BOTH, "true", null)).hasMessageContaining("phase of hook h");
        assertThatThrownBy(() -> new Hook("h", HookPhase.AFTER_SWITCH, null, "true", null))
                .hasMessageContaining("runOn of hook h");
    }

    @Test
    public void runOnSaysWhichModesRunTheHook() {
        assertThat(RunOn.DEPLOY.includes(HookMode.DEPLOY)).isTrue();
        assertThat(RunOn.DEPLOY.includes(HookMode.ROLLBACK)).isFalse();
        assertThat(RunOn.ROLLBACK.includes(HookMode.ROLLBACK)).isTrue();
        assertThat(RunOn.ROLLBACK.includes(HookMode.DEPLOY)).isFalse();
        assertThat(RunOn.BOTH.includes(HookMode.DEPLOY)).isTrue();
        assertThat(RunOn.BOTH.includes(HookMode.ROLLBACK)).isTrue();
    }

    @Test
    public void unknownPhaseOrRunOnLabelIsRefusedListingTheKnownOnes() {
        assertThat(HookPhase.fromLabel("afterSwitch")).isEqualTo(HookPhase.AFTER_SWITCH);
        assertThat(RunOn.fromLabel("rollback")).isEqualTo(RunOn.ROLLBACK);
        assertThatThrownBy(() -> HookPhase.fromLabel("after"))
                .hasMessage("Hook phase \"after\" is not allowed: use beforeSwitch or afterSwitch");
        assertThatThrownBy(() -> RunOn.fromLabel("always"))
                .hasMessage("runOn \"always\" is not allowed: use deploy, rollback or both");
    }
}
