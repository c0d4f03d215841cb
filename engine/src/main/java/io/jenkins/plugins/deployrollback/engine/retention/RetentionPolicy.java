package io.jenkins.plugins.deployrollback.engine.retention;

import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.targets.StagedRelease;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * How many release folders a target keeps ({@code keepReleases}, newest first by when they were last
 * staged or live) and how many failed releases it keeps archived ({@code keepFailed}). Protected
 * releases (live, previous, last known good) are never removed, whatever their age.
 */
public record RetentionPolicy(int keepReleases, int keepFailed) {
    /** Capistrano's {@code keep_releases} default, and three failed releases to look into. */
    public static final RetentionPolicy DEFAULT = new RetentionPolicy(5, 3);

    public RetentionPolicy {
        if (keepReleases < 1 || keepReleases > 1000) {
            throw new IllegalArgumentException(
                    "keepReleases is " + keepReleases + ": keep between 1 and 1000 releases");
        }
        if (keepFailed < 0 || keepFailed > 1000) {
            throw new IllegalArgumentException(
                    "keepFailed is " + keepFailed + ": keep between 0 and 1000 failed releases");
        }
    }

    /** The releases to remove from {@code present}: beyond the newest {@code keepReleases}, and not protected. */
    public List<ReleaseId> toRemove(List<StagedRelease> present, Set<ReleaseId> protectedReleases) {
        List<StagedRelease> newestFirst = new ArrayList<>(present);
        newestFirst.sort(Comparator.comparing(StagedRelease::lastUsed)
                .reversed()
                .thenComparing(StagedRelease::id, Comparator.reverseOrder()));
        List<ReleaseId> remove = new ArrayList<>();
        for (int i = keepReleases; i < newestFirst.size(); i++) {
            ReleaseId id = newestFirst.get(i).id();
            if (!protectedReleases.contains(id)) {
                remove.add(id);
            }
        }
        return remove;
    }
}
