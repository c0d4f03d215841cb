package io.jenkins.plugins.deployrollback.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import io.jenkins.plugins.deployrollback.run.OperationRequest;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code rollback(environment: 'prod')}: returns the environment to its last known good release (or
 * {@code toRelease:} / {@code toBuild:}). A release whose folder is still on the targets is a switch
 * only; one pruned from them is staged again from the archived artifacts of the build that deployed it.
 */
public class RollbackStep extends ReturnStep {
    private static final long serialVersionUID = 1L;

    @DataBoundConstructor
    public RollbackStep(String environment) {
        super(environment);
    }

    @Override
    OperationRequest.Kind kind() {
        return OperationRequest.Kind.ROLLBACK;
    }

    @Extension
    public static final class DescriptorImpl extends EnvironmentStepDescriptor {
        @Override
        public String getFunctionName() {
            return "rollback";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Roll an environment back to its last known good release";
        }
    }
}
