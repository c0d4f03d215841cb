package io.jenkins.plugins.deployrollback.engine.plan;

import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.Text;

/** Which release a rollback or roll-forward goes to: the default, a named release, or the release of a build. */
public sealed interface ReleaseSelector {
    /** Rollback: the last known good release other than the live one. Roll-forward: the release most recently rolled back from. */
    record Default() implements ReleaseSelector {}

    /** Exactly this release. */
    record ById(ReleaseId id) implements ReleaseSelector {}

    /** The newest release recorded in this environment that came from this build. */
    record ByBuild(String build) implements ReleaseSelector {
        public ByBuild {
            Text.requireLabel("Build", build, 200);
        }
    }

    static ReleaseSelector byDefault() {
        return new Default();
    }
}
