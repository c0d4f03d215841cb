package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import java.time.Clock;
import java.util.List;

/**
 * What every stage of one operation shares: the environment and the operation on it, who runs it,
 * its clock and progress, the targets' sessions (filled as the flow opens them), their locks, and how
 * steps run on the targets.
 */
record OperationScope(
        Environment environment,
        Operation operation,
        String actor,
        Clock clock,
        ProgressListener progress,
        TargetSteps onTargets,
        HeldLocks locks,
        List<TargetSession> sessions) {

    /** The session of {@code target}. */
    TargetSession session(String target) {
        return sessions.stream()
                .filter(s -> s.target().equals(target))
                .findFirst()
                .orElseThrow();
    }
}
