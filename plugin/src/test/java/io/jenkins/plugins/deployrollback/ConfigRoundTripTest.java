package io.jenkins.plugins.deployrollback;

import io.jenkins.plugins.deployrollback.steps.DeployStep;
import io.jenkins.plugins.deployrollback.steps.RollbackStep;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;

/** Every step keeps every setting through its form in the Snippet Generator. */
public class ConfigRoundTripTest {
    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void deployKeepsItsRequiredArgumentsThroughItsForm() throws Exception {
        assertKeptThroughItsForm(new DeployStep("prod", "app"));
    }

    @Test
    public void deployKeepsHostsHooksAndGatesThroughItsForm() throws Exception {
        assertKeptThroughItsForm(SampleSteps.deployToHosts());
    }

    @Test
    public void verifyGateKeepsEveryKindOfCheckThroughItsForm() throws Exception {
        assertKeptThroughItsForm(SampleSteps.verifyWithEveryKindOfCheck());
    }

    @Test
    public void verifyGateKeepsAnApprovalThroughItsForm() throws Exception {
        assertKeptThroughItsForm(SampleSteps.verifyWithApproval());
    }

    @Test
    public void rollbackKeepsItsEnvironmentThroughItsForm() throws Exception {
        assertKeptThroughItsForm(new RollbackStep("prod"));
    }

    @Test
    public void rollbackKeepsItsTargetBuildForceAndReasonThroughItsForm() throws Exception {
        assertKeptThroughItsForm(SampleSteps.rollbackToBuild());
    }

    @Test
    public void rollForwardKeepsItsTargetReleaseThroughItsForm() throws Exception {
        assertKeptThroughItsForm(SampleSteps.rollForwardToRelease());
    }

    private void assertKeptThroughItsForm(Step step) throws Exception {
        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
    }
}
