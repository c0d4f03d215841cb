package io.jenkins.plugins.deployrollback.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import io.jenkins.plugins.deployrollback.run.OperationRequest;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code rollForward(environment: 'prod')}: after a rollback, returns the environment to the release
 * most recently rolled back from (or {@code toRelease:} / {@code toBuild:}), once it is fixed.
 */
public class RollForwardStep extends ReturnStep {
    private static final long serialVersionUID = 1L;

    @DataBoundConstructor
    public RollForwardStep(String environment) {
        super(environment);
    }

    @Override
    OperationRequest.Kind kind() {
        return OperationRequest.Kind.ROLL_FORWARD;
    }

    @Extension
    public static final class DescriptorImpl extends EnvironmentStepDescriptor {
        @Override
        public String getFunctionName() {
            return "rollForward";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Roll an environment forward to the release it was rolled back from";
        }
    }
}
