package io.jenkins.plugins.deployrollback.engine.history;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every environment of a history folder at a glance, for a page that lists them (Jenkins: the job
 * page). It reads the history files and the origins file and nothing else (no release catalog, no
 * target), so it stays fast however many builds and releases there are.
 */
public final class DeploymentsOverview {
    private DeploymentsOverview() {}

    /**
     * Each environment of {@code store}, sorted by name, with at most {@code limitPerEnvironment} of
     * its newest records, newest first, and their origins from {@code origins}.
     */
    public static List<EnvironmentOverview> read(FileHistoryStore store, RecordOrigins origins, int limitPerEnvironment)
            throws IOException {
        if (limitPerEnvironment < 0) {
            throw new IllegalArgumentException(
                    "The number of records to show per environment is " + limitPerEnvironment + ": give 0 or more");
        }
        Map<String, String> originOf = origins.read();
        List<EnvironmentOverview> overview = new ArrayList<>();
        for (EnvironmentName environment : store.environments()) {
            List<String> problems = new ArrayList<>();
            List<DeploymentRecord> records = store.records(environment, problems);
            // The derived answers need the records only, not the catalog entries History usually carries.
            History history = new History(environment, records, Map.of(), problems);
            List<OverviewRow> rows = new ArrayList<>();
            for (int i = records.size() - 1; i >= 0 && rows.size() < limitPerEnvironment; i--) {
                DeploymentRecord record = records.get(i);
                rows.add(OverviewRow.of(record, originOf.get(record.id())));
            }
            overview.add(new EnvironmentOverview(
                    environment,
                    history.current().orElse(null),
                    history.lastKnownGood().orElse(null),
                    records.size(),
                    rows,
                    problems,
                    unfinished(store, environment, records, problems)));
        }
        return List.copyOf(overview);
    }

    /** The attempt switching now (or interrupted), or null; an unreadable note is a problem, not a failure. */
    private static AttemptInProgress unfinished(
            FileHistoryStore store,
            EnvironmentName environment,
            List<DeploymentRecord> records,
            List<String> problems) {
        try {
            return store.unfinished(environment, records).orElse(null);
        } catch (IOException e) {
            problems.add("The note of the " + environment + " attempt in progress is unreadable (" + e.getMessage()
                    + "); it is left out here");
            return null;
        }
    }
}
