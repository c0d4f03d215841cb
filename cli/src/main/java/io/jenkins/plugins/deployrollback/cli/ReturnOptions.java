package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.engine.flow.ReturnRequest;
import io.jenkins.plugins.deployrollback.engine.plan.ReleaseSelector;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Where a rollback or roll-forward goes: the default, a release, or the release of a build; and whether to force it. */
final class ReturnOptions {
    @ArgGroup(exclusive = true)
    Target target;

    static final class Target {
        @Option(names = "--to", paramLabel = "RELEASE", description = "Go to this release.")
        String release;

        @Option(names = "--to-build", paramLabel = "BUILD", description = "Go to the release this build produced.")
        String build;
    }

    @Option(
            names = "--force",
            description =
                    "Go ahead despite blockers: a schema migration or breaking change crossed, a release that failed.")
    boolean force;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the history.")
    String reason;

    ReturnRequest request(String actor) {
        ReleaseSelector selector = ReleaseSelector.byDefault();
        if (target != null && target.release != null) {
            selector = new ReleaseSelector.ById(ReleaseId.of(target.release));
        } else if (target != null && target.build != null) {
            selector = new ReleaseSelector.ByBuild(target.build);
        }
        return new ReturnRequest(selector, force, actor, reason);
    }
}
