package io.jenkins.plugins.deployrollback.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Run;
import io.jenkins.plugins.deployrollback.run.OperationRequest;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code verifyGate(environment: 'prod', gates: [gate(name: 'smoke', checks: [httpCheck(…)])])}:
 * evaluates the gates against the live release and returns the verdict with its evidence. An approval
 * check pauses the build with Proceed / Abort on the build page; Abort ends the build as ABORTED,
 * naming who rejected. With {@code rollbackOnFail: true}, a FAIL rolls back to the last known good.
 */
public class VerifyGateStep extends EnvironmentStep {
    private static final long serialVersionUID = 1L;

    private boolean rollbackOnFail;

    @DataBoundConstructor
    public VerifyGateStep(String environment) {
        super(environment);
    }

    public boolean isRollbackOnFail() {
        return rollbackOnFail;
    }

    @DataBoundSetter
    public void setRollbackOnFail(boolean rollbackOnFail) {
        this.rollbackOnFail = rollbackOnFail;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, this);
    }

    private static final class Execution extends EnvironmentStepExecution {
        private static final long serialVersionUID = 1L;
        /** Kept in the Pipeline\'s state, so the step runs again after a restart. */
        private final VerifyGateStep step;

        Execution(StepContext context, VerifyGateStep step) {
            super(context, step);
            this.step = step;
        }

        @Override
        OperationRequest request(Run<?, ?> build, String actor) {
            return OperationRequest.verify(actor, step.rollbackOnFail);
        }
    }

    @Extension
    public static final class DescriptorImpl extends EnvironmentStepDescriptor {
        @Override
        public String getFunctionName() {
            return "verifyGate";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Verify the live release with go/no-go gates";
        }
    }
}
