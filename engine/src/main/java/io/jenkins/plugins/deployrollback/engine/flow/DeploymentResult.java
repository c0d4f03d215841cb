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

    /** {@code plan.to()} was already live everywhere: nothing changed and nothing was recorded. */
    static DeploymentResult nothingToDo(
            Operation operation, EnvironmentName environment, DeploymentPlan plan, ReleaseId lastKnownGood) {
        return new DeploymentResult(
                operation,
                environment,
                plan.to(),
                plan.from(),
                plan.to(),
                Outcome.SUCCEEDED,
                false,
                false,
                lastKnownGood,
                null,
                List.of(),
                plan,
                null);
    }

    /**
     * An attempt that ended as {@code ending} and was recorded as {@code record}; {@code lastKnownGood}
     * counts that record.
     */
    static DeploymentResult recorded(
            DeploymentRecord record,
            Ending ending,
            ReleaseId lastKnownGood,
            List<GateVerdict> gates,
            DeploymentPlan plan) {
        return new DeploymentResult(
                record.operation(),
                record.environment(),
                record.release(),
                record.previous(),
                ending.live(),
                ending.outcome(),
                true,
                ending.rolledBack(),
                lastKnownGood,
                ending.cause(),
                gates,
                plan,
                record);
    }

    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED;
    }
}
