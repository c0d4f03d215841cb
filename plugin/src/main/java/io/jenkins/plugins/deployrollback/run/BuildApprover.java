package io.jenkins.plugins.deployrollback.run;

import hudson.console.HyperlinkNote;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.deployrollback.engine.gate.ApprovalDecision;
import io.jenkins.plugins.deployrollback.engine.gate.ApprovalRequest;
import io.jenkins.plugins.deployrollback.engine.gate.Approver;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import io.jenkins.plugins.deployrollback.ui.GateApprovalAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks on the build page: the question appears under "Deployment approvals" with Proceed and Abort,
 * the log links to it, and the engine waits for the answer or the request's timeout. The question is
 * kept with the build, so the step's run after a restart finds the one it asked before (same
 * deadline, and the answer if one was given meanwhile). Remembers every rejection, so the step can
 * end the build as ABORTED naming who rejected. {@link #isWaiting} says whether a question is open,
 * when a restart loses nothing.
 */
public final class BuildApprover implements Approver {
    private final Run<?, ?> run;
    private final TaskListener listener;
    private final String asker;
    private final List<Rejection> rejections = new ArrayList<>();
    private final AtomicInteger waiting = new AtomicInteger();

    /** Asks on {@code run}'s page for the step whose execution is {@code asker}. */
    public BuildApprover(Run<?, ?> run, TaskListener listener, String asker) {
        this.run = run;
        this.listener = listener;
        this.asker = asker;
    }

    @Override
    public ApprovalDecision ask(ApprovalRequest request) throws InterruptedException {
        GateApprovalAction action = GateApprovalAction.on(run);
        long now = System.currentTimeMillis();
        GateApprovalAction.Pending pending = action.open(request, asker);
        String who = request.approvers().isEmpty()
                ? "anyone who may build this job"
                : String.join(", ", request.approvers());
        String link = HyperlinkNote.encodeTo("/" + run.getUrl() + action.getUrlName() + "/", "Proceed or Abort");
        long left = Math.max(0, pending.getDeadline().getTime() - now);
        if (pending.getAskedMillis() >= now) {
            listener.getLogger()
                    .println("[deploy-rollback] Gate " + request.gate() + " waits for approval (" + who + ", up to "
                            + Text.duration(request.timeout()) + "): " + link);
        } else if (pending.isAnswered()) {
            listener.getLogger()
                    .println("[deploy-rollback] Gate " + request.gate() + ": the approval asked before the interruption"
                            + " was answered meanwhile");
        } else {
            listener.getLogger()
                    .println("[deploy-rollback] Gate " + request.gate()
                            + " still waits for the approval asked before the interruption (" + who + ", "
                            + Text.duration(Duration.ofMillis(left)) + " left): " + link);
        }
        ApprovalDecision decision;
        waiting.incrementAndGet();
        try {
            decision = action.await(pending);
        } finally {
            waiting.decrementAndGet();
        }
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

    /** True while a gate waits for an answer here. */
    public boolean isWaiting() {
        return waiting.get() > 0;
    }

    /** Drops what this step asked before a restart and did not ask again. */
    public void forgetUnasked() {
        GateApprovalAction action = run.getAction(GateApprovalAction.class);
        if (action != null) {
            action.forget(asker);
        }
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
