package io.jenkins.plugins.deployrollback;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.RealJenkinsRule;

/**
 * Without the Deploy to container plugin (a Jenkins of its own, started without it): a call with
 * that plugin's options fails saying which plugin it needs, and this plugin's deploy still works.
 */
public class DeployToContainerAbsentTest {
    @Rule
    public RealJenkinsRule jenkins = new RealJenkinsRule().omitPlugins("deploy");

    @Test
    public void aContainerDeployFailsNamingThePluginItNeedsAndOursStillDeploys() throws Throwable {
        jenkins.then(DeployToContainerAbsentTest::withoutDeployToContainer);
    }

    private static void withoutDeployToContainer(JenkinsRule j) throws Throwable {
        assertThat(j.jenkins.getPlugin("deploy"))
                .as("the Deploy to container plugin")
                .isNull();
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");
        job.setDefinition(new CpsFlowDefinition("""
                node {
                  writeFile file: 'app.war', text: 'not really a war'
                  deploy adapters: [], war: 'app.war', contextPath: 'app'
                }
                """, true));
        WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, job);
        j.assertLogContains(
                "deploy was given adapters, contextPath, war, options of the Deploy to container plugin, which is"
                        + " not installed",
                refused);
        j.assertLogContains("install Deploy to container to deploy .war files with adapters", refused);

        WorkflowRun ours = Pipelines.succeed(j, job, """
                node {
                  %s
                  def r = deploy(environment: 'staging', artifacts: 'r1', release: 'r1', path: 'target-dir')
                  echo "ours: live=${r.live} outcome=${r.outcome}"
                }
                """.formatted(Pipelines.writeRelease("r1")));
        j.assertLogContains("ours: live=r1 outcome=SUCCEEDED", ours);
    }
}
