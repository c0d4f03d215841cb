package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.gate.GateVerdict;
import io.jenkins.plugins.deployrollback.engine.gate.Verdict;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.util.List;

/**
 * The checks of an environment evaluated against its live release, the overall verdict, and, when a
 * rollback on failure was asked for, the rollback it led to or why it could not happen (else null).
 */
public record VerifyResult(
        EnvironmentName environment,
        ReleaseId live,
        Verdict verdict,
        List<GateVerdict> gates,
        DeploymentResult rollback,
        String rollbackRefused) {
    public VerifyResult {
        gates = List.copyOf(gates);
    }
}
