package io.jenkins.plugins.deployrollback.engine.gate;

import java.time.Instant;

/**
 * One sample a gate took: what was measured, what was observed, what it was held to, and whether it
 * met it. {@code GET http://…/health} observed {@code 500 in 12 ms}, expected {@code 200}, not ok.
 */
public record Measurement(Instant at, String subject, String observed, String expected, boolean ok) {
    /** {@code GET http://…/health: 500 in 12 ms (expected 200)}. */
    public String describe() {
        return subject + ": " + observed + " (expected " + expected + ")";
    }
}
