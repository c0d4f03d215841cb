package io.jenkins.plugins.deployrollback.engine.history;

import io.jenkins.plugins.deployrollback.engine.release.Release;

/** A release id is already recorded with other content or other facts; release ids are immutable. */
public class ReleaseConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReleaseConflictException(String message) {
        super(message);
    }

    /** The conflict between the recorded {@code existing} and the {@code offered} release of the same id. */
    public static ReleaseConflictException between(Release existing, Release offered) {
        String what;
        if (!existing.content().digest().equals(offered.content().digest())) {
            what = "other content (recorded " + existing.content().summary() + ", SHA-256 "
                    + existing.content().digest().substring(0, 12) + "…; offered "
                    + offered.content().summary()
                    + ", SHA-256 " + offered.content().digest().substring(0, 12) + "…)";
        } else if (!existing.facts().equals(offered.facts())) {
            what = "other facts (recorded " + existing.facts() + ", offered " + offered.facts() + ")";
        } else {
            what = "another version or build (recorded version " + existing.version() + " from build "
                    + buildOf(existing) + ", offered version " + offered.version() + " from build " + buildOf(offered)
                    + ")";
        }
        return new ReleaseConflictException("Release " + existing.id() + " is already recorded with " + what
                + ". Release ids are immutable: give this build a new release id.");
    }

    private static String buildOf(Release release) {
        return release.sourceBuild() == null ? "(none)" : release.sourceBuild();
    }
}
