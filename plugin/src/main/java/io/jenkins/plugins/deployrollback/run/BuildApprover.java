package io.jenkins.plugins.deployrollback.run;

import hudson.console.HyperlinkNote;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.deployrollback.engine.gate.ApprovalDecision;
import io.jenkins.plugins.deployrollback.engine.gate.ApprovalRequest;
import io.jenkins.plugins.deployrollback.engine.gate.Approver;
import io.jenkins.plugins.deployrollback.ui.GateApprovalAction;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks on the build page: the question appears under "Deployment approvals" with Proceed and Abort,
 * the log links to it, and the engine waits for the answer or the request's timeout. Remembers every
 * rejection, so the step can end the build as ABORTED naming who rejected.
 */
final class BuildApprover implements Approver {
    private final Run<?, ?> run;
    private final TaskListener listener;
    private final List<Rejection> rejections = new ArrayList<>();

    BuildApprover(Run<?, ?> run, TaskListener listener) {
        this.run = run;
        this.listener = listener;
    }

    @Override
    public ApprovalDecision ask(ApprovalRequest request) throws InterruptedException {
        GateApprovalAction action = GateApprovalAction.on(run);
        GateApprovalAction.Pending pending = action.open(request);
        String who = request.approvers().isEmpty()
                ? "anyone who may build this job"
                : String.join(", ", request.approvers());
        listener.getLogger()
                .println("[deploy-rollback] Gate " + request.gate() + " waits for approval (" + who + ", up to "
                        + request.timeout().toMinutes() + " min): "
                        + HyperlinkNote.encodeTo("/" + run.getUrl() + action.getUrlName() + "/", "Proceed or Abort"));
        ApprovalDecision decision = pending.await(request.timeout());
        switch (decision.answer()) {
            case APPROVED ->
                listener.getLogger()
                        .println("[deploy-rollback] Approved by " + decision.describeWho() + comment(decision));
            case REJECTED -> {
                listener.getLogger()
                        .println("[deploy-rollback] Rejected by " + decision.describeWho() + comment(decision));
                synchronized (rejections) {
                    rejections.add(new Rejection(decision.by(), decision.as(), request.gate()));
                }
            }
            default -> listener.getLogger().println("[deploy-rollback] No answer: " + decision.comment());
        }
        return decision;
    }

    /** The first rejection given, if any. */
    Rejection firstRejection() {
        synchronized (rejections) {
            return rejections.isEmpty() ? null : rejections.get(0);
        }
    }

    private static String comment(ApprovalDecision decision) {
        return decision.comment() == null ? "" : ": " + decision.comment();
    }

    /** Who rejected (and as which listed group, or null) at which gate. */
    record Rejection(String by, String as, String gate) {}
}
