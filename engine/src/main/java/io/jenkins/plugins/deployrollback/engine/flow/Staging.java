package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Results;
import io.jenkins.plugins.deployrollback.engine.plan.DeploymentPlan;
import io.jenkins.plugins.deployrollback.engine.plan.TargetAction;
import io.jenkins.plugins.deployrollback.engine.plan.TargetStep;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactSource;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactStore;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The staging of an operation: the release made present on every target, from the artifacts
 * the operation was given or, for a release deployed before, from the kept ones. A folder already
 * there is checked and kept; only one altered since it was staged is staged again.
 */
final class Staging {
    private final OperationScope scope;
    private final Release requestedRelease;
    private final ArtifactSource requestedSource;
    private final ArtifactStore artifacts;

    /**
     * @param requestedRelease the release a deploy was given, with its {@code requestedSource}; null for
     *     a rollback or roll-forward, which stage from the kept artifacts
     */
    Staging(OperationScope scope, Release requestedRelease, ArtifactSource requestedSource, ArtifactStore artifacts) {
        this.scope = scope;
        this.requestedRelease = requestedRelease;
        this.requestedSource = requestedSource;
        this.artifacts = artifacts;
    }

    /** Makes {@code release} present on every target the plan names, all or nothing. */
    void stage(DeploymentPlan plan, Release release) throws IOException {
        Map<String, TargetAction> actions = new HashMap<>();
        plan.targets().forEach(step -> actions.put(step.target(), step.action()));
        List<String> transfers = plan.targets().stream()
                .filter(step -> step.action() == TargetAction.STAGE || step.action() == TargetAction.REDEPLOY)
                .map(TargetStep::target)
                .toList();
        if (!transfers.isEmpty()) {
            scope.progress()
                    .stage(
                            "stage",
                            "Staging " + release.id() + " (" + release.content().summary() + ") on "
                                    + TargetSteps.names(transfers)
                                    + (isRequested(release) ? "" : " from its kept artifacts"));
        }
        String step = "staging " + release.id();
        List<TargetSession> planned =
                plan.targets().stream().map(t -> scope.session(t.target())).toList();
        Results<Void> staged = scope.onTargets().allOrNothing(step, planned, session -> {
            if (actions.get(session.target()) == TargetAction.ALREADY_LIVE) {
                scope.onTargets().journal(session.target()).step(release.id() + " already live");
            } else {
                ensureStaged(session, release);
            }
            return null;
        });
        scope.onTargets().throwIfFailed(step, staged);
    }

    /**
     * Makes {@code release} present on the target: a folder already there is checked and kept (it is
     * staged again only if it was altered); otherwise the artifacts are transferred, unpacked and
     * verified.
     */
    void ensureStaged(TargetSession session, Release release) throws IOException {
        scope.locks().ensureHeld(session.target());
        boolean written = session.stage(
                release, () -> sourceOf(release), scope.environment().shared());
        scope.onTargets()
                .journal(session.target())
                .step(written ? "staged " + release.id() : release.id() + " present, switch only");
        if (written) {
            scope.progress()
                    .info(session.target() + ": staged " + release.id()
                            + (isRequested(release) ? "" : " from its kept artifacts"));
        }
    }

    private boolean isRequested(Release release) {
        return requestedRelease != null && requestedRelease.id().equals(release.id());
    }

    private ArtifactSource sourceOf(Release release) throws IOException {
        if (isRequested(release)) {
            return requestedSource;
        }
        return artifacts
                .find(release.id())
                .orElseThrow(() -> new IOException("The artifacts of release " + release.id()
                        + " are not kept, so it cannot be staged again; deploy it from its artifacts instead."));
    }
}
