package io.jenkins.plugins.deployrollback.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Run;
import io.jenkins.plugins.deployrollback.run.OperationRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code deploy(environment: 'prod', artifacts: 'dist/app.tar.gz', hosts: ['web-1', 'web-2'], path:
 * '/srv/app', credentialsId: 'deploy-key', knownHosts: '…')}: puts a release live on every target,
 * runs the gates, and rolls back to the previous release when they fail. Returns the result (release,
 * previous, live, lastKnownGood, outcome, rolledBack, gates, …).
 */
public class DeployStep extends EnvironmentStep {
    private static final long serialVersionUID = 1L;

    private final String artifacts;
    private String release;
    private String version;
    private List<String> facts = new ArrayList<>();
    private String reason;

    @DataBoundConstructor
    public DeployStep(String environment, String artifacts) {
        super(environment);
        this.artifacts = artifacts;
    }

    public String getArtifacts() {
        return artifacts;
    }

    public String getRelease() {
        return release;
    }

    /** The release's id; by default {@code build-<number>}. */
    @DataBoundSetter
    public void setRelease(String release) {
        this.release = blankToNull(release);
    }

    public String getVersion() {
        return version;
    }

    @DataBoundSetter
    public void setVersion(String version) {
        this.version = blankToNull(version);
    }

    public List<String> getFacts() {
        return facts;
    }

    /** What the release declares, such as {@code schemaMigration}: a rollback across it needs {@code force}. */
    @DataBoundSetter
    public void setFacts(List<String> facts) {
        this.facts = facts == null ? new ArrayList<>() : new ArrayList<>(facts);
    }

    public String getReason() {
        return reason;
    }

    @DataBoundSetter
    public void setReason(String reason) {
        this.reason = blankToNull(reason);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, this);
    }

    private static final class Execution extends EnvironmentStepExecution {
        private static final long serialVersionUID = 1L;
        private final transient DeployStep step;

        Execution(StepContext context, DeployStep step) {
            super(context, step);
            this.step = step;
        }

        @Override
        OperationRequest request(Run<?, ?> build, String actor) {
            String id = step.release != null ? step.release : "build-" + build.getNumber();
            return OperationRequest.deploy(
                            actor, step.artifacts, id, step.version, step.facts, build.getExternalizableId())
                    .withReason(step.reason);
        }
    }

    @Extension
    public static final class DescriptorImpl extends EnvironmentStepDescriptor {
        @Override
        public String getFunctionName() {
            return "deploy";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Deploy a release, verify it, and roll back automatically when it fails";
        }

        @Override
        protected Set<String> lineListFields() {
            return Set.of("hosts", "facts");
        }
    }
}
