package io.jenkins.plugins.deployrollback.engine.gate;

import java.time.Instant;
import java.util.Objects;

/**
 * One value a check measured, with the threshold it was held to and what that made of it:
 * sample 3 of {@code GET http://…/health} observed {@code error rate 7.2%}, threshold
 * {@code ≤ 5%}, FAIL.
 *
 * @param sample the number of the gate's sample it was taken in, from 1
 * @param subject what was measured ({@code GET http://127.0.0.1:8080/health}, a query, a command)
 * @param observed what was seen ({@code p95 412 ms}, {@code 0.072}, {@code exit 0}, {@code no data})
 * @param threshold what it was held to ({@code ≤ 300 ms}), or empty when nothing was compared
 */
public record Measurement(
        int sample, Instant at, String subject, String observed, String threshold, SampleResult result) {
    public Measurement {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(observed, "observed");
        threshold = threshold == null ? "" : threshold;
        Objects.requireNonNull(result, "result");
    }

    /**
     * {@code GET http://…/health: error rate 7.2% (threshold ≤ 5%): FAIL}. A value kept as evidence
     * only, held to no threshold, says so instead of a result: {@code availability 0%; 1 x
     * ConnectException (evidence, no threshold)} never reads as a pass.
     */
    public String describe() {
        if (threshold.isEmpty() && result == SampleResult.PASS) {
            return subject + ": " + observed + " (evidence, no threshold)";
        }
        return subject + ": " + observed + (threshold.isEmpty() ? "" : " (threshold " + threshold + ")") + ": "
                + result;
    }
}
