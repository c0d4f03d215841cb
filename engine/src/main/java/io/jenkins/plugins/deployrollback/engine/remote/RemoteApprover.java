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
 * So does a wire that fails (the controller restarted and the channel closed): the operation stops
 * as if interrupted, recording nothing, rather than counting the lost question as no answer, which
 * could fail the gate and roll back a release nobody rejected. Its run after the restart completes it.
 */
public final class RemoteApprover implements Approver {
    private final ApprovalWire wire;

    public RemoteApprover(ApprovalWire wire) {
        this.wire = Objects.requireNonNull(wire, "approval wire");
    }

    @Override
    public ApprovalDecision ask(ApprovalRequest request) throws InterruptedException {
        String answer;
        try {
            answer = wire.ask(ApprovalMessages.write(request, "approval request"));
        } catch (RuntimeException e) {
            InterruptedException stop = new InterruptedException("The approval of gate " + request.gate()
                    + " could not be asked: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "; stopping as if interrupted, so that running it again completes it");
            stop.initCause(e);
            throw stop;
        }
        return ApprovalMessages.read(answer, ApprovalDecision.class, "approval decision");
    }
}
