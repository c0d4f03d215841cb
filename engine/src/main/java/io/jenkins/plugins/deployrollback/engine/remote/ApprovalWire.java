package io.jenkins.plugins.deployrollback.engine.remote;

import io.jenkins.plugins.deployrollback.engine.gate.Approver;

/**
 * An {@link Approver} as plain text: the request goes over as JSON (question, approvers, timeout,
 * evidence), the decision comes back as JSON. {@link #serving} answers it with a real approver;
 * {@link RemoteApprover} turns it back into an {@code Approver}.
 */
public interface ApprovalWire {
    /** Asks, waiting at most the request's timeout; returns the decision as JSON. */
    String ask(String requestJson) throws InterruptedException;

    /** Answers with {@code approver}. */
    static ApprovalWire serving(Approver approver) {
        return new ApprovalWireServer(approver);
    }
}
