package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.gate.GateVerdict;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.plan.DeploymentPlan;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.util.List;

/**
 * How an operation ended, for the caller (a Pipeline script, a CLI user): the release it went for,
 * the one before, the one live now, the outcome, whether it was rolled back, the last known good
 * release after it, and the evidence of its checks.
 *
 * @param changed false when there was nothing to do (the release was already live everywhere)
 * @param record the record appended to history, or null when nothing changed
 */
public record DeploymentResult(
        Operation operation,
        EnvironmentName environment,
        ReleaseId release,
        ReleaseId previous,
        ReleaseId live,
        Outcome outcome,
        boolean changed,
        boolean rolledBack,
        ReleaseId lastKnownGood,
        String cause,
        List<GateVerdict> gates,
        DeploymentPlan plan,
        DeploymentRecord record) {

    public DeploymentResult {
        gates = List.copyOf(gates);
    }

    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED;
    }
}
