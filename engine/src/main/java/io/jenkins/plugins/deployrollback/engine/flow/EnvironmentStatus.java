package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.AttemptInProgress;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import java.util.List;

/**
 * An environment as it is: the release the history records as live, the last known good one, the
 * newest record, and what every target actually serves. {@code consistent} is true when every target
 * serves the recorded release. {@code unfinished} is an attempt interrupted after it began switching,
 * or one that failed after switching and left its release live: the same command run again completes it.
 */
public record EnvironmentStatus(
        EnvironmentName environment,
        ReleaseId recordedLive,
        ReleaseId lastKnownGood,
        DeploymentRecord latest,
        List<TargetState> targets,
        boolean consistent,
        AttemptInProgress unfinished,
        List<String> problems) {
    public EnvironmentStatus {
        targets = List.copyOf(targets);
        problems = List.copyOf(problems);
    }
}
