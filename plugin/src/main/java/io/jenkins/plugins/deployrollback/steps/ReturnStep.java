package io.jenkins.plugins.deployrollback.steps;

import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.deployrollback.run.OperationRequest;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * What {@code rollback} and {@code rollForward} share: which release to return to ({@code toRelease},
 * or the release deployed by build {@code toBuild} of this job, or the history's default), {@code
 * force} past a blocker, and the reason recorded as the cause.
 */
public abstract class ReturnStep extends EnvironmentStep {
    private static final long serialVersionUID = 1L;

    private String toRelease;
    private Integer toBuild;
    private boolean force;
    private String reason;

    protected ReturnStep(String environment) {
        super(environment);
    }

    public String getToRelease() {
        return toRelease;
    }

    @DataBoundSetter
    public void setToRelease(String toRelease) {
        this.toRelease = blankToNull(toRelease);
    }

    public Integer getToBuild() {
        return toBuild;
    }

    /** The number of this job's build whose release to return to. */
    @DataBoundSetter
    public void setToBuild(Integer toBuild) {
        this.toBuild = toBuild;
    }

    public boolean isForce() {
        return force;
    }

    /** Go ahead despite a blocker, such as crossing a schema migration or returning to a release that failed. */
    @DataBoundSetter
    public void setForce(boolean force) {
        this.force = force;
    }

    public String getReason() {
        return reason;
    }

    @DataBoundSetter
    public void setReason(String reason) {
        this.reason = blankToNull(reason);
    }

    abstract OperationRequest.Kind kind();

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, this);
    }

    private static final class Execution extends EnvironmentStepExecution {
        private static final long serialVersionUID = 1L;
        /** Kept in the Pipeline\'s state, so the step runs again after a restart. */
        private final ReturnStep step;

        Execution(StepContext context, ReturnStep step) {
            super(context, step);
            this.step = step;
        }

        @Override
        OperationRequest request(Run<?, ?> build, String actor) throws AbortException {
            if (step.toRelease != null && step.toBuild != null) {
                throw new AbortException("Give toRelease or toBuild, not both");
            }
            String byBuild = null;
            if (step.toBuild != null) {
                Run<?, ?> target = build.getParent().getBuildByNumber(step.toBuild);
                byBuild = target == null
                        ? build.getParent().getFullName() + "#" + step.toBuild
                        : target.getExternalizableId();
            }
            return OperationRequest.returnTo(step.kind(), actor, step.toRelease, byBuild, step.force, step.reason);
        }
    }
}
