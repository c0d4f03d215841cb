package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.HistoryStore;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.Secrets;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The record stage of an operation: one line in the environment's history saying what happened on
 * every target, with every gate verdict, hook run and warning, secrets masked.
 */
final class Recording {
    private final OperationScope scope;
    private final HistoryStore historyStore;
    private final String attemptId;
    private final Secrets secrets;
    private final Verification verification;
    private final HookStage hooks;
    private final List<String> warnings;

    /** @param attemptId the id the attempt was noted under in the history before the switch */
    Recording(
            OperationScope scope,
            HistoryStore historyStore,
            String attemptId,
            Secrets secrets,
            Verification verification,
            HookStage hooks,
            List<String> warnings) {
        this.scope = scope;
        this.historyStore = historyStore;
        this.attemptId = attemptId;
        this.secrets = secrets;
        this.verification = verification;
        this.hooks = hooks;
        this.warnings = warnings;
    }

    /** Appends the attempt's record to the history, forced to disk, and returns it. */
    DeploymentRecord append(Release release, ReleaseId previous, Ending ending, Instant startedAt) throws IOException {
        DeploymentRecord record = build(release, previous, ending, startedAt);
        scope.progress()
                .stage(
                        "record",
                        scope.operation().label() + " of " + release.id() + " to "
                                + scope.environment().name() + ": " + ending.outcome()
                                + (ending.live() == null ? "" : ", live: " + ending.live()));
        historyStore.append(record);
        return record;
    }

    /** The attempt's record as it stands: what every target did, every gate verdict and hook run, the warnings. */
    DeploymentRecord build(Release release, ReleaseId previous, Ending ending, Instant startedAt) {
        return new DeploymentRecord(
                attemptId,
                scope.environment().name(),
                scope.operation(),
                release.id(),
                previous,
                ending.live(),
                ending.outcome(),
                scope.actor(),
                secrets.mask(ending.cause()),
                startedAt,
                scope.clock().instant(),
                verification.verdicts(),
                hooks.runs(),
                scope.onTargets().reports(),
                warnings.stream().map(secrets::mask).toList());
    }
}
