package io.jenkins.plugins.deployrollback.engine.hook;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether hooks are running for a release going forward (deploy, roll-forward) or back (rollback). */
public enum HookMode {
    DEPLOY,
    ROLLBACK;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
