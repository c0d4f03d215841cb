package io.jenkins.plugins.deployrollback.engine.gate;

import java.util.Objects;

/**
 * The answer to an {@link ApprovalRequest}: approved or rejected by someone, or no answer (timed out,
 * or nobody could be asked) with why.
 *
 * @param by who answered, or null when nobody did
 * @param as the approvers entry they answered as when it is not their own name (a group they belong
 *     to, as the front end that asked established), or null
 * @param comment what they said, or why there is no answer; may be null
 */
public record ApprovalDecision(Answer answer, String by, String as, String comment) {
    /** What came back. */
    public enum Answer {
        APPROVED,
        REJECTED,
        NO_ANSWER
    }

    public ApprovalDecision {
        Objects.requireNonNull(answer, "answer");
        if (answer != Answer.NO_ANSWER && (by == null || by.isBlank())) {
            throw new IllegalArgumentException("An approval or rejection must name who gave it");
        }
        if (as != null && (as.isBlank() || as.equals(by))) {
            as = null;
        }
    }

    public static ApprovalDecision approved(String by, String comment) {
        return new ApprovalDecision(Answer.APPROVED, by, null, comment);
    }

    public static ApprovalDecision rejected(String by, String comment) {
        return new ApprovalDecision(Answer.REJECTED, by, null, comment);
    }

    /** Approved by {@code by}, who may answer because they belong to the approvers entry {@code as}. */
    public static ApprovalDecision approved(String by, String as, String comment) {
        return new ApprovalDecision(Answer.APPROVED, by, as, comment);
    }

    /** Rejected by {@code by}, who may answer because they belong to the approvers entry {@code as}. */
    public static ApprovalDecision rejected(String by, String as, String comment) {
        return new ApprovalDecision(Answer.REJECTED, by, as, comment);
    }

    public static ApprovalDecision noAnswer(String why) {
        return new ApprovalDecision(Answer.NO_ANSWER, null, null, why);
    }

    /** The approvers entry this answer counts for: the group answered as, or the person. */
    public String answeredAs() {
        return as != null ? as : by;
    }

    /** Who answered, for a log or a record: {@code alice}, or {@code alice (as release-managers)}. */
    public String describeWho() {
        return as == null ? by : by + " (as " + as + ")";
    }
}
