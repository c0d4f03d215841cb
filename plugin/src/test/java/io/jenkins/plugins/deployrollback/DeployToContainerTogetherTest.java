package io.jenkins.plugins.deployrollback;

import static org.assertj.core.api.Assertions.assertThat;

import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * With the Deploy to container plugin installed, whose Pipeline symbol is also {@code deploy}: a call
 * with its options reaches its publisher, a call with this plugin's options deploys a release, in
 * the same Pipeline.
 */
public class DeployToContainerTogetherTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void bothPluginsKeepTheirDeploy() throws Exception {
        assertThat(j.jenkins.getPlugin("deploy"))
                .as("the Deploy to container plugin")
                .isNotNull();
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");

        WorkflowRun build = Pipelines.succeed(j, job, """
                node {
                  writeFile file: 'app.war', text: 'not really a war'
                  %s
                  catchError(buildResult: 'SUCCESS', stageResult: 'FAILURE') {
                    deploy adapters: [tomcat9(url: 'http://127.0.0.1:9/', credentialsId: 'none')],
                           war: 'app.war', contextPath: 'app'
                  }
                  def r = deploy(environment: 'staging', artifacts: 'r1', release: 'r1', path: 'target-dir')
                  echo "ours: live=${r.live} outcome=${r.outcome}"
                }
                """.formatted(Pipelines.writeRelease("r1")));

        // The container deploy ran Deploy to container's publisher on the war (and failed to reach Tomcat).
        j.assertLogContains("[DeployPublisher][INFO] Attempting to deploy 1 war file(s)", build);
        j.assertLogContains("ours: live=r1 outcome=SUCCEEDED", build);
        assertThat(Pipelines.live(Pipelines.workspace(j, job).resolve("target-dir")))
                .isEqualTo("r1");
    }
}
