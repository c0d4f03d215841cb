package io.jenkins.plugins.deployrollback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

public class RollbackStepTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public DeployHost host = new DeployHost();

    @Test
    public void rollbackNamingTheEnvironmentAloneUsesTheRecordedHostsAndPutsThePreviousReleaseBack() throws Exception {
        host.start();
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");
        deploy(job, "r1");
        deploy(job, "r2");

        WorkflowRun rollback = Pipelines.succeed(j, job, """
                node {
                  def r = rollback(environment: 'prod')
                  echo "operation=${r.operation} live=${r.live} previous=${r.previous} outcome=${r.outcome}"
                }
                """);

        j.assertLogContains("operation=rollback live=r1 previous=r2 outcome=SUCCEEDED", rollback);
        assertThat(Pipelines.live(host.root())).isEqualTo("r1");
    }

    @Test
    public void rollbackToBuildPutsTheReleaseThatBuildDeployedBack() throws Exception {
        host.start();
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");
        WorkflowRun first = deploy(job, "r1");
        deploy(job, "r2");
        deploy(job, "r3");

        WorkflowRun rollback = Pipelines.succeed(j, job, """
                node {
                  def r = rollback(environment: 'prod', toBuild: %d)
                  echo "live=${r.live} previous=${r.previous}"
                }
                """.formatted(first.getNumber()));

        j.assertLogContains("live=r1 previous=r3", rollback);
        assertThat(Pipelines.live(host.root())).isEqualTo("r1");
    }

    @Test
    public void rollbackToAPrunedReleaseStagesItAgainFromTheArchivedArtifactsOfTheBuildThatDeployedIt()
            throws Exception {
        host.start();
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");
        WorkflowRun first = deploy(job, "r1", "keepReleases: 1");
        deploy(job, "r2", "keepReleases: 1");
        deploy(job, "r3", "keepReleases: 1");
        assertThat(host.root().resolve("releases/r1"))
                .as("r1 pruned by retention")
                .doesNotExist();

        WorkflowRun rollback = Pipelines.succeed(j, job, """
                node {
                  def r = rollback(environment: 'prod', toBuild: %d)
                  echo "live=${r.live} outcome=${r.outcome}"
                }
                """.formatted(first.getNumber()));

        j.assertLogContains("live=r1 outcome=SUCCEEDED", rollback);
        assertThat(host.root().resolve("releases/r1")).isDirectory();
        assertThat(Pipelines.index(host.root(), "r1")).isEqualTo("release r1");
        assertThat(Pipelines.live(host.root())).isEqualTo("r1");
    }

    /** Deploys release {@code id} to the host in a build of its own, with {@code more} step arguments. */
    private WorkflowRun deploy(WorkflowJob job, String id, String... more) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("environment: 'prod'", "artifacts: '" + id + "'"));
        arguments.add("release: '" + id + "'");
        arguments.add(host.target());
        arguments.addAll(List.of(more));
        return Pipelines.succeed(j, job, """
                node {
                  %s
                  deploy(%s)
                }
                """.formatted(Pipelines.writeRelease(id), String.join(", ", arguments)));
    }
}
