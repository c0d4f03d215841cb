package io.jenkins.plugins.deployrollback.engine.target;

import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.util.List;
import java.util.Optional;

/**
 * What a target holds now, read without changing anything: the release {@code current} points to,
 * the release folders present, the lock if one is held, and anything odd found.
 */
public record TargetState(
        String target, ReleaseId current, List<StagedRelease> releases, LockInfo lock, List<String> problems) {
    public TargetState {
        releases = List.copyOf(releases);
        problems = List.copyOf(problems);
    }

    /** The folder of {@code id}, if present. */
    public Optional<StagedRelease> release(ReleaseId id) {
        return releases.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** True when {@code id} is present and was staged with exactly the content of manifest {@code digest}. */
    public boolean holds(ReleaseId id, String digest) {
        return release(id).map(r -> digest.equals(r.digest())).orElse(false);
    }
}
