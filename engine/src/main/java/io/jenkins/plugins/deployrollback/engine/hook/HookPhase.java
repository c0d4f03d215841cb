package io.jenkins.plugins.deployrollback.engine.hook;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.jenkins.plugins.deployrollback.engine.support.Text;

/** When a hook runs relative to the switch of {@code current}. */
public enum HookPhase {
    /** In the new release's folder before it goes live; a failure leaves the old release serving. */
    BEFORE_SWITCH("beforeSwitch"),
    /** Right after {@code current} points to the new release (restart, warm caches). */
    AFTER_SWITCH("afterSwitch");

    private final String label;

    HookPhase(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    @JsonCreator
    public static HookPhase fromLabel(String label) {
        for (HookPhase phase : values()) {
            if (phase.label.equals(label)) {
                return phase;
            }
        }
        throw new IllegalArgumentException(
                "Hook phase " + Text.quote(label) + " is not allowed: use beforeSwitch or afterSwitch");
    }
}
