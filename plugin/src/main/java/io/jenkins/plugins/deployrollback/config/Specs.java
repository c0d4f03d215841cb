package io.jenkins.plugins.deployrollback.config;

import hudson.util.FormValidation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

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
    static List<String> names(String written) {
        if (written == null || written.isBlank()) {
            return List.of();
        }
        return Arrays.stream(written.split(","))
                .map(String::trim)
                .filter(name -> !name.isEmpty())
                .toList();
    }

    /** The non-blank lines of a text area, trimmed: one value per line. */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\\R")) {
            if (!line.isBlank()) {
                lines.add(line.trim());
            }
        }
        return lines;
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

    /** {@code text} as an enum constant's name ({@code " fail "} → {@code FAIL}); empty for none, which no constant is. */
    static String constantName(String text) {
        return text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
    }
}
