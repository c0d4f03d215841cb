package io.jenkins.plugins.deployrollback.engine.remote;

import io.jenkins.plugins.deployrollback.engine.gate.ApprovalDecision;
import io.jenkins.plugins.deployrollback.engine.gate.ApprovalRequest;
import io.jenkins.plugins.deployrollback.engine.gate.Approver;
import java.util.Objects;

/**
 * An {@link Approver} on the other end of an {@link ApprovalWire} (Jenkins: the build's approval
 * action on the controller, while the engine runs on an agent). The request crosses with its
 * evidence; the decision comes back with who gave it and what they said. An interruption while
 * waiting (an aborted build) ends the wait with {@link InterruptedException}, as with a local one.
 */
public final class RemoteApprover implements Approver {
    private final ApprovalWire wire;

    public RemoteApprover(ApprovalWire wire) {
        this.wire = Objects.requireNonNull(wire, "approval wire");
    }

    @Override
    public ApprovalDecision ask(ApprovalRequest request) throws InterruptedException {
        String answer = wire.ask(ApprovalMessages.write(request, "approval request"));
        return ApprovalMessages.read(answer, ApprovalDecision.class, "approval decision");
    }
}
