package io.jenkins.plugins.deployrollback.config;

import hudson.util.FormValidation;
import java.time.Duration;

/** Small conversions shared by the specs: seconds to durations, and the engine's verdict on a value as a form check. */
final class Specs {
    private Specs() {}

    static Duration seconds(String what, int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException(what + " is " + seconds + " s: give 0 or more seconds");
        }
        return Duration.ofSeconds(seconds);
    }

    /** The names in a comma-separated list, trimmed, empty ones left out. */
    static java.util.List<String> names(String written) {
        if (written == null || written.isBlank()) {
            return java.util.List.of();
        }
        return java.util.Arrays.stream(written.split(","))
                .map(String::trim)
                .filter(name -> !name.isEmpty())
                .toList();
    }

    /** OK when {@code probe} accepts the value; else the engine's own message, which says how to fix it. */
    static FormValidation check(Runnable probe) {
        try {
            probe.run();
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}
