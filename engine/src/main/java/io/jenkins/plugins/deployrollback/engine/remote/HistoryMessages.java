package io.jenkins.plugins.deployrollback.engine.remote;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.AttemptInProgress;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.History;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of {@link HistoryWire}'s answers that are no engine value of their own. */
final class HistoryMessages {
    private HistoryMessages() {}

    /** A {@link History} as it crosses: the catalog entries as a list, so ids need no map keys. */
    record HistoryMessage(
            EnvironmentName environment,
            List<DeploymentRecord> records,
            List<Release> releases,
            List<String> problems,
            AttemptInProgress interrupted) {

        static HistoryMessage of(History history) {
            return new HistoryMessage(
                    history.environment(),
                    history.records(),
                    history.releases().values().stream()
                            .sorted(Comparator.comparing(Release::id))
                            .toList(),
                    history.problems(),
                    history.interrupted());
        }

        History toHistory() {
            Map<ReleaseId, Release> catalog = new LinkedHashMap<>();
            for (Release release : releases == null ? List.<Release>of() : releases) {
                catalog.put(release.id(), release);
            }
            return new History(
                    environment,
                    records == null ? List.of() : records,
                    catalog,
                    problems == null ? List.of() : problems,
                    interrupted);
        }
    }

    /**
     * The answer to a registration: the recorded release, or why the id is recorded otherwise. A
     * conflict travels as an answer, not an exception, so its kind survives any channel.
     */
    record Registered(Release recorded, String conflict) {}
}
