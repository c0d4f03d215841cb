package io.jenkins.plugins.deployrollback.engine.hook;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.util.Locale;

/**
 * Which operations run a hook: database migrations run on {@link #DEPLOY} only, so a rollback skips
 * them; clean-up after a bad release runs on {@link #ROLLBACK} only; a restart runs on {@link #BOTH}.
 */
public enum RunOn {
    DEPLOY,
    ROLLBACK,
    BOTH;

    /** True when a hook with this setting runs in {@code mode}. */
    public boolean includes(HookMode mode) {
        return this == BOTH || (this == DEPLOY) == (mode == HookMode.DEPLOY);
    }

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RunOn fromLabel(String label) {
        for (RunOn runOn : values()) {
            if (runOn.label().equals(label)) {
                return runOn;
            }
        }
        throw new IllegalArgumentException(
                "runOn " + Text.quote(label) + " is not allowed: use deploy, rollback or both");
    }
}
