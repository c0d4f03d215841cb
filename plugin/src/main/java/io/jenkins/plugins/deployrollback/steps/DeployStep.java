package io.jenkins.plugins.deployrollback.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Run;
import io.jenkins.plugins.deployrollback.run.OperationRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
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
        /** Kept in the Pipeline\'s state, so the step runs again after a restart. */
        private final DeployStep step;

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
        /**
         * The "Deploy to container" plugin's publisher, whose symbol is also {@code deploy}. A Pipeline
         * step of a name wins over a symbol of that name, so its users' {@code deploy adapters: [...],
         * war: '...'} reaches this step, which hands such calls to that publisher.
         */
        static final String CONTAINER_PUBLISHER = "hudson.plugins.deploy.DeployPublisher";

        /** The options of that publisher; none of them is an option of this step. */
        static final Set<String> CONTAINER_OPTIONS = Set.of("adapters", "war", "contextPath", "onFailure");

        @Override
        public String getFunctionName() {
            return "deploy";
        }

        /**
         * This step, or, for a call with the Deploy to container plugin's options ({@code adapters},
         * {@code war}), that plugin's publisher run as {@code step(...)} would run it: both plugins
         * installed together keep their {@code deploy}.
         */
        @Override
        public Step newInstance(Map<String, Object> arguments) throws Exception {
            if (!Collections.disjoint(arguments.keySet(), CONTAINER_OPTIONS)) {
                return containerDeploy(arguments);
            }
            return super.newInstance(arguments);
        }

        private static Step containerDeploy(Map<String, Object> arguments) throws Exception {
            Class<?> publisher;
            try {
                publisher = Jenkins.get().getPluginManager().uberClassLoader.loadClass(CONTAINER_PUBLISHER);
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("deploy was given " + String.join(", ", given(arguments))
                        + ", options of the Deploy to container plugin, which is not installed. This plugin's deploy"
                        + " takes environment, release, artifacts, hosts, path and credentialsId (see its Pipeline"
                        + " syntax page); install Deploy to container to deploy .war files with adapters");
            }
            Object delegate = DescribableModel.of(publisher).instantiate(arguments);
            StepDescriptor step = StepDescriptor.byFunctionName("step");
            if (step == null) {
                throw new IllegalStateException("The step step (Pipeline: Basic Steps) is needed to run the Deploy to"
                        + " container plugin's deploy: install Pipeline: Basic Steps");
            }
            return step.newInstance(Map.of("delegate", delegate));
        }

        private static List<String> given(Map<String, Object> arguments) {
            List<String> names = new ArrayList<>(arguments.keySet());
            names.retainAll(CONTAINER_OPTIONS);
            Collections.sort(names);
            return names;
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
