package io.jenkins.plugins.deployrollback.engine.history;

import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;

/**
 * What one attempt did on one target: the steps it took in order ({@code staged}, {@code switched},
 * {@code switched back}, …), the release live there at the end, and the error, if any.
 */
public record TargetReport(String target, java.util.List<String> steps, ReleaseId live, String error) {
    public TargetReport {
        steps = java.util.List.copyOf(steps);
    }
}
