package io.jenkins.plugins.deployrollback.engine.history;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.jenkins.plugins.deployrollback.engine.hook.HookMode;
import java.util.Locale;

/** What an attempt set out to do. */
public enum Operation {
    /** Put a release live (new or already known). */
    DEPLOY,
    /** Return to an earlier release. */
    ROLLBACK,
    /** Return to a newer release after a rollback. */
    ROLL_FORWARD;

    /** Hooks of a rollback run in rollback mode; deploys and roll-forwards run in deploy mode. */
    public HookMode hookMode() {
        return this == ROLLBACK ? HookMode.ROLLBACK : HookMode.DEPLOY;
    }

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static Operation fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
