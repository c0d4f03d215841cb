package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.time.Instant;
import java.util.List;

/**
 * What is on every target of an environment: each release folder present, with its size, when it
 * was last staged or live, whether it serves, and whether it could be staged again from kept
 * artifacts; and the releases the history names live, last known good and previous.
 */
public record ReleaseInventory(
        EnvironmentName environment,
        ReleaseId live,
        ReleaseId lastKnownGood,
        ReleaseId previous,
        List<Entry> releases,
        List<String> problems) {
    public ReleaseInventory {
        releases = List.copyOf(releases);
        problems = List.copyOf(problems);
    }

    /**
     * One release folder on one target.
     *
     * @param version the version label, null when the catalog does not know the release
     * @param bytes the size of its files, -1 when the catalog does not know the release
     * @param serving true when the target's {@code current} points to it
     * @param slots the blue/green slots that point to it
     * @param keptByRetention true when retention never removes it (live, previous, last known good)
     * @param artifactsKept true when its artifacts are kept, so it can be staged again once removed
     */
    public record Entry(
            String target,
            ReleaseId release,
            String version,
            long bytes,
            int files,
            Instant lastUsed,
            boolean serving,
            List<String> slots,
            boolean keptByRetention,
            boolean artifactsKept) {
        public Entry {
            slots = List.copyOf(slots);
        }
    }
}
