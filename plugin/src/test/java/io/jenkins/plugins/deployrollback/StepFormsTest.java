package io.jenkins.plugins.deployrollback;

import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;

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

    private void assertFormKeeps(Step step) throws Exception {
        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
    }
}
