package io.jenkins.plugins.deployrollback.steps;

import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.deployrollback.config.EnvironmentSpec;
import io.jenkins.plugins.deployrollback.run.OperationRequest;
import io.jenkins.plugins.deployrollback.run.Operations;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * Runs one step off the Pipeline's thread (SSH and gates take time), returning the engine's result
 * as plain values. When {@code failBuild} is set and the operation did not succeed, the step fails
 * after the result is recorded on the build, with the engine's cause as its message.
 */
abstract class EnvironmentStepExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;

    private final transient EnvironmentStep step;

    EnvironmentStepExecution(StepContext context, EnvironmentStep step) {
        super(context);
        this.step = step;
    }

    /** What the engine is asked to do, on behalf of {@code actor}. */
    abstract OperationRequest request(Run<?, ?> build, String actor) throws Exception;

    @Override
    protected Map<String, Object> run() throws Exception {
        StepContext context = getContext();
        Run<?, ?> build = context.get(Run.class);
        TaskListener listener = context.get(TaskListener.class);
        FilePath workspace = context.get(FilePath.class);
        Launcher launcher = context.get(Launcher.class);
        EnvironmentSpec spec;
        if (step.definesEnvironment()) {
            spec = step.spec();
        } else {
            spec = step.spec(Operations.recordedSpec(build.getParent(), step.getEnvironment()));
            listener.getLogger()
                    .println("[deploy-rollback] " + step.getEnvironment() + ": hosts and path as this job's last deploy"
                            + " there recorded them"
                            + (step.givenOptions().isEmpty()
                                    ? ""
                                    : ", with this step's " + String.join(", ", step.givenOptions())));
        }
        String actor = build.getParent().getFullName() + " #" + build.getNumber();
        Map<String, Object> result =
                Operations.runStep(build, workspace, launcher, listener, spec, request(build, actor));
        // An operation's result says "succeeded", a verify's says "passed"; neither true is a failure.
        boolean failed = !Boolean.TRUE.equals(result.get("succeeded")) && !Boolean.TRUE.equals(result.get("passed"));
        if (step.isFailBuild() && failed) {
            Object cause = result.get("cause");
            Object what = result.containsKey("operation") ? result.get("operation") : "verify";
            Object ended = result.containsKey("outcome") ? result.get("outcome") : result.get("verdict");
            throw new AbortException(
                    what + " of " + step.getEnvironment() + " ended " + ended + (cause == null ? "" : ": " + cause));
        }
        return result;
    }
}
