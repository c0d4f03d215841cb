package io.jenkins.plugins.deployrollback.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.deployrollback.engine.gate.ApprovalCheck;
import io.jenkins.plugins.deployrollback.engine.gate.Check;
import io.jenkins.plugins.deployrollback.engine.gate.Verdict;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.verb.POST;

/**
 * A person's go/no-go, asked on the build page once the gate's other checks have their evidence:
 * {@code approvalCheck(name: 'sign-off', approvers: 'alice,bob', timeoutMinutes: 30)}.
 */
public class ApprovalCheckSpec extends CheckSpec {
    private static final long serialVersionUID = 1L;

    private String question;
    private String approvers = "";
    private int timeoutMinutes = 15;
    private String onNoAnswer = "fail";

    @DataBoundConstructor
    public ApprovalCheckSpec(String name) {
        super(name);
    }

    public String getQuestion() {
        return question;
    }

    @DataBoundSetter
    public void setQuestion(String question) {
        // The form sends an empty text for "no question of its own": the same as none given.
        this.question = Util.fixEmptyAndTrim(question);
    }

    public String getApprovers() {
        return approvers;
    }

    /** User IDs, separated by commas (matched as the security realm matches IDs); empty: anyone who may build the job. */
    @DataBoundSetter
    public void setApprovers(String approvers) {
        this.approvers = approvers == null ? "" : approvers;
    }

    public int getTimeoutMinutes() {
        return timeoutMinutes;
    }

    @DataBoundSetter
    public void setTimeoutMinutes(int timeoutMinutes) {
        this.timeoutMinutes = timeoutMinutes;
    }

    public String getOnNoAnswer() {
        return onNoAnswer;
    }

    /** What silence until the timeout means: {@code fail} (the default), {@code pass} or {@code inconclusive}. */
    @DataBoundSetter
    public void setOnNoAnswer(String onNoAnswer) {
        this.onNoAnswer = onNoAnswer;
    }

    @Override
    public Check toEngine() {
        Verdict silence;
        try {
            silence = Verdict.valueOf(Specs.constantName(onNoAnswer));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("onNoAnswer \"" + onNoAnswer + "\" of approval check " + getName()
                    + " is not allowed: use fail, pass or inconclusive");
        }
        return new ApprovalCheck(
                getName(),
                question,
                Specs.names(approvers),
                java.time.Duration.ofMinutes(Math.max(0, timeoutMinutes)),
                silence,
                isDryRun());
    }

    @Extension
    @Symbol("approvalCheck")
    public static class DescriptorImpl extends CheckDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Approval";
        }

        @POST
        public ListBoxModel doFillOnNoAnswerItems() {
            return new ListBoxModel().add("fail").add("pass").add("inconclusive");
        }
    }
}
