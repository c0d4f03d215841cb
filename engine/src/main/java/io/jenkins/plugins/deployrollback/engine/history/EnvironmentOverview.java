package io.jenkins.plugins.deployrollback.engine.history;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.util.List;
import java.util.Objects;

/**
 * One environment at a glance (see {@link DeploymentsOverview}): what is live, the last known good
 * release, how many records it has and the newest of them.
 *
 * @param live the release live after the newest record, or null when none is
 * @param lastKnownGood the last known good release, or null when there is none
 * @param total how many records the environment has, however many {@code rows} shows
 * @param rows the newest records, newest first
 * @param problems what went wrong reading the history (a torn final record, an unreadable line)
 * @param unfinished the attempt that began switching and is not recorded yet: running now (a gate
 *     waiting for an approval, say), or interrupted; null when there is none
 */
public record EnvironmentOverview(
        EnvironmentName environment,
        ReleaseId live,
        ReleaseId lastKnownGood,
        int total,
        List<OverviewRow> rows,
        List<String> problems,
        AttemptInProgress unfinished) {
    public EnvironmentOverview {
        Objects.requireNonNull(environment, "environment");
        rows = List.copyOf(rows);
        problems = List.copyOf(problems);
    }
}
