package io.jenkins.plugins.deployrollback.engine.remote;

import io.jenkins.plugins.deployrollback.engine.gate.ApprovalDecision;
import io.jenkins.plugins.deployrollback.engine.gate.ApprovalRequest;
import io.jenkins.plugins.deployrollback.engine.gate.Approver;
import java.util.Objects;

/** The far side of an {@link ApprovalWire}: reads the request, asks the real approver, writes its decision. */
final class ApprovalWireServer implements ApprovalWire {
    private final Approver approver;

    ApprovalWireServer(Approver approver) {
        this.approver = Objects.requireNonNull(approver, "approver");
    }

    @Override
    public String ask(String requestJson) throws InterruptedException {
        ApprovalRequest request = ApprovalMessages.read(requestJson, ApprovalRequest.class, "approval request");
        ApprovalDecision decision = approver.ask(request);
        if (decision == null) {
            decision = ApprovalDecision.noAnswer("the approver gave no decision");
        }
        return ApprovalMessages.write(decision, "approval decision");
    }
}
