package io.jenkins.plugins.deployrollback.engine.retention;

import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.History;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which kept artifact copies a state folder needs. The copies are shared by every environment whose
 * history is kept there, so a copy stays while any environment may stage its release again: one of
 * the newest {@code keepReleases} releases its records name (as many as its targets keep), or one
 * retention never removes (live, previous, last known good).
 */
public final class KeptArtifacts {
    private KeptArtifacts() {}

    /** The releases whose artifacts {@code history}, kept under {@code policy}, may need again. */
    public static Set<ReleaseId> neededBy(History history, RetentionPolicy policy) {
        Set<ReleaseId> newestFirst = new LinkedHashSet<>();
        List<DeploymentRecord> records = new ArrayList<>(history.records());
        for (int i = records.size() - 1; i >= 0 && newestFirst.size() < policy.keepReleases(); i--) {
            newestFirst.add(records.get(i).release());
        }
        Set<ReleaseId> needed = new HashSet<>(newestFirst);
        needed.addAll(history.releasesToKeep());
        history.interruptedAttempt().ifPresent(a -> {
            needed.add(a.release());
            if (a.previous() != null) {
                needed.add(a.previous());
            }
        });
        return needed;
    }
}
