package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.target.TargetState;
import java.util.List;

/**
 * An environment as it is: the release the history records as live, the last known good one, the
 * newest record, and what every target actually serves. {@code consistent} is true when every target
 * serves the recorded release.
 */
public record EnvironmentStatus(
        EnvironmentName environment,
        ReleaseId recordedLive,
        ReleaseId lastKnownGood,
        DeploymentRecord latest,
        List<TargetState> targets,
        boolean consistent,
        List<String> problems) {
    public EnvironmentStatus {
        targets = List.copyOf(targets);
        problems = List.copyOf(problems);
    }
}
