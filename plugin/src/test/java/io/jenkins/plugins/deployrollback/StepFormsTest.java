package io.jenkins.plugins.deployrollback;

import static org.assertj.core.api.Assertions.assertThat;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.AbstractProject;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * Every step's configuration form, as the Snippet Generator shows it: rendered by Jenkins from its
 * Jelly views in the test harness's web client, submitted unchanged, and bound back to an equal step.
 * A view that fails to render, a field the form leaves out or a value it changes fails here.
 */
public class StepFormsTest {
    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void deployToHostsWithHooksAndGates() throws Exception {
        assertFormKeeps(SampleSteps.deployToHosts());
    }

    @Test
    public void deployRollingAndCanary() throws Exception {
        assertFormKeeps(SampleSteps.deployRolling());
        assertFormKeeps(SampleSteps.deployCanary());
    }

    @Test
    public void verifyGateWithEveryKindOfCheck() throws Exception {
        assertFormKeeps(SampleSteps.verifyWithEveryKindOfCheck());
        assertFormKeeps(SampleSteps.verifyWithApproval());
        assertFormKeeps(SampleSteps.verifyWithCanaryChecks());
    }

    @Test
    public void rollbackAndRollForward() throws Exception {
        assertFormKeeps(SampleSteps.rollbackBlueGreen());
        assertFormKeeps(SampleSteps.rollbackToBuild());
        assertFormKeeps(SampleSteps.rollForwardToRelease());
    }

    /**
     * Puts {@code step} in a freestyle job as the one property of {@link StepForm}, whose form shows the
     * step's own configuration form; saves that page unchanged and checks the step bound back from it.
     */
    private void assertFormKeeps(Step step) throws Exception {
        FreeStyleProject job = j.createFreeStyleProject();
        job.getBuildersList().add(new StepForm(step));

        j.configRoundtrip((Item) job);

        StepForm saved = job.getBuildersList().get(StepForm.class);
        assertThat(saved).as("the form's builder after the round trip").isNotNull();
        assertThat(saved.getStep()).isInstanceOf(step.getClass());
        j.assertEqualDataBoundBeans(step, saved.getStep());
    }

    /** A build step that only holds a Pipeline step, so a job's configuration page renders the step's form. */
    public static final class StepForm extends Builder {
        private final Step step;

        @DataBoundConstructor
        public StepForm(Step step) {
            this.step = step;
        }

        public Step getStep() {
            return step;
        }

        @TestExtension
        public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
            @Override
            @SuppressWarnings("rawtypes")
            public boolean isApplicable(Class<? extends AbstractProject> jobType) {
                return true;
            }

            @NonNull
            @Override
            public String getDisplayName() {
                return "A Pipeline step's form";
            }
        }
    }
}
