package io.jenkins.plugins.deployrollback.engine.gate;

import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.time.Duration;
import java.util.List;

/**
 * A person's go/no-go. Asked once, after the gate's other checks, with their evidence, and only when
 * none of them failed. Only the {@code approvers} named may answer (anyone who may run the operation
 * when none are named); an answer from anyone else counts as no answer. No answer within
 * {@code timeout} counts as {@code onNoAnswer}: FAIL unless told otherwise.
 */
public record ApprovalCheck(
        String name, String question, List<String> approvers, Duration timeout, Verdict onNoAnswer, boolean dryRun)
        implements Check {

    public ApprovalCheck {
        Gate.requireName("Approval check", name);
        question = question == null || question.isBlank() ? null : question;
        approvers = approvers == null ? List.of() : List.copyOf(approvers);
        for (String approver : approvers) {
            if (approver == null || approver.isBlank() || approver.length() > 200) {
                throw new IllegalArgumentException("Approval check " + name
                        + " names an empty or overlong approver: give user names (at most 200 characters)");
            }
        }
        timeout = timeout == null ? GatePolicy.DEFAULT_APPROVAL_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("Approval check " + name + " has timeout " + Text.duration(timeout)
                    + ": use 1s to 7d, such as 15m");
        }
        onNoAnswer = onNoAnswer == null ? Verdict.FAIL : onNoAnswer;
    }

    @Override
    public String kind() {
        return "approval";
    }

    /** Asks with no other evidence; the gate evaluator asks with {@link #ask(int, GateContext, String, List)}. */
    @Override
    public Sample measure(int sample, GateContext context) throws InterruptedException {
        return ask(sample, context, name, List.of());
    }

    /** Asks the context's approver about the release, showing {@code evidence}, and waits for the answer. */
    public Sample ask(int sample, GateContext context, String gate, List<CheckVerdict> evidence)
            throws InterruptedException {
        String asked =
                question != null ? question : "Keep " + context.release() + " live in " + context.environment() + "?";
        ApprovalRequest request = new ApprovalRequest(
                context.environment(), context.release(), gate, name, asked, approvers, timeout, evidence);
        context.progress()
                .info(gate + ": waiting up to "
                        + io.jenkins.plugins.deployrollback.engine.support.Text.duration(timeout)
                        + " for "
                        + (approvers.isEmpty() ? "an approval" : "an approval by " + String.join(", ", approvers))
                        + ": " + asked);
        ApprovalDecision decision = context.approver().ask(request);
        String threshold = approvers.isEmpty() ? "approved" : "approved by " + String.join(", ", approvers);
        SampleResult result;
        String observed;
        switch (decision.answer()) {
            case APPROVED, REJECTED -> {
                String verb = decision.answer() == ApprovalDecision.Answer.APPROVED ? "approved" : "rejected";
                String said = decision.comment() == null || decision.comment().isBlank()
                        ? ""
                        : " (" + decision.comment() + ")";
                if (!request.allows(decision.answeredAs())) {
                    observed = verb + " by " + decision.describeWho() + said + ", who is not an allowed approver ("
                            + String.join(", ", approvers) + "): counted as no answer";
                    result = noAnswer();
                } else {
                    observed = verb + " by " + decision.describeWho() + said;
                    result = decision.answer() == ApprovalDecision.Answer.APPROVED
                            ? SampleResult.PASS
                            : SampleResult.FAIL;
                }
            }
            default -> {
                observed = "no answer"
                        + (decision.comment() == null ? "" : " (" + decision.comment() + ")")
                        + ": counted as " + onNoAnswer;
                result = noAnswer();
            }
        }
        Measurement m = new Measurement(sample, context.clock().instant(), asked, observed, threshold, result);
        return new Sample(result, observed, List.of(m));
    }

    private SampleResult noAnswer() {
        return switch (onNoAnswer) {
            case PASS -> SampleResult.PASS;
            case FAIL -> SampleResult.FAIL;
            case INCONCLUSIVE -> SampleResult.INCONCLUSIVE;
        };
    }
}
