package io.jenkins.plugins.deployrollback;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Label;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.deployrollback.ui.DeploymentAction;
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
    public void deployAndRollbackOnAnAgentCrossTheAgentControllerChannel() throws Exception {
        host.start();
        DumbSlave agent = j.createOnlineSlave(Label.get("remote"));
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");

        WorkflowRun build = Pipelines.succeed(j, job, """
                node('remote') {
                  %s
                  %s
                  deploy(environment: 'prod', artifacts: 'r1', release: 'r1', %s)
                  deploy(environment: 'prod', artifacts: 'r2', release: 'r2', %s)
                  def r = rollback(environment: 'prod')
                  echo "live=${r.live} previous=${r.previous} outcome=${r.outcome}"
                }
                """.formatted(
                        Pipelines.writeRelease("r1"), Pipelines.writeRelease("r2"), host.target(), host.target()));

        j.assertLogContains("Running on " + agent.getNodeName(), build);
        j.assertLogContains("live=r1 previous=r2 outcome=SUCCEEDED", build);
        assertThat(Pipelines.live(host.root())).isEqualTo("r1");
        assertThat(Pipelines.index(host.root(), "r2")).isEqualTo("release r2");
        // History and the archive are the controller's: the agent sent them over the channel.
        assertThat(build.getAction(DeploymentAction.class).getEntries())
                .extracting(DeploymentAction.Entry::getOperation)
                .containsExactly("deploy", "deploy", "rollback");
        assertThat(build.getArtifactManager()
                        .root()
                        .child("deploy-rollback")
                        .child("r2")
                        .isDirectory())
                .isTrue();
    }

    @Test
    public void twoDeploysToDifferentEnvironmentsInParallelAreBothLiveAndBothRecorded() throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");

        WorkflowRun build =
                Pipelines.succeed(j, job, """
                node {
                  %s
                  %s
                  parallel(
                    blue: { deploy(environment: 'blue', artifacts: 'r1', release: 'r1', path: 'env-blue') },
                    green: { deploy(environment: 'green', artifacts: 'r2', release: 'r2', path: 'env-green') })
                }
                """.formatted(Pipelines.writeRelease("r1"), Pipelines.writeRelease("r2")));

        assertThat(Pipelines.live(Pipelines.workspace(j, job).resolve("env-blue")))
                .isEqualTo("r1");
        assertThat(Pipelines.live(Pipelines.workspace(j, job).resolve("env-green")))
                .isEqualTo("r2");
        assertThat(build.getActions(DeploymentAction.class)).hasSize(1);
        assertThat(build.getAction(DeploymentAction.class).getEntries())
                .extracting(DeploymentAction.Entry::getEnvironment)
                .containsExactlyInAnyOrder("blue", "green");
        // What build.xml keeps: both entries survive a reload from disk.
        build.reload();
        assertThat(build.getAction(DeploymentAction.class).getEntries()).hasSize(2);
    }

    @Test
    public void rollForwardAndVerifyGateAreStepsOfTheirOwn() throws Exception {
        host.start();
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");
        deploy(job, "r1");
        deploy(job, "r2");

        WorkflowRun build = Pipelines.succeed(j, job, """
                node {
                  rollback(environment: 'prod')
                  def f = rollForward(environment: 'prod')
                  echo "forward: live=${f.live} previous=${f.previous} outcome=${f.outcome}"
                  def ok = verifyGate(environment: 'prod',
                      gates: [gate(name: 'smoke', checks: [commandCheck(name: 'up', command: 'test -n "$DEPLOY_RELEASE"')])])
                  echo "verified: ${ok.verdict} passed=${ok.passed}"
                  def bad = verifyGate(environment: 'prod', failBuild: false,
                      gates: [gate(name: 'smoke', checks: [commandCheck(name: 'down', command: 'exit 3')])])
                  echo "verified: ${bad.verdict} passed=${bad.passed}"
                }
                """);

        j.assertLogContains("forward: live=r2 previous=r1 outcome=SUCCEEDED", build);
        j.assertLogContains("verified: PASS passed=true", build);
        j.assertLogContains("verified: FAIL passed=false", build);
        // A failed verify without rollbackOnFail judges only: r2 stays live.
        assertThat(Pipelines.live(host.root())).isEqualTo("r2");
        assertThat(build.getAction(DeploymentAction.class).getEntries())
                .extracting(DeploymentAction.Entry::getOperation)
                .containsExactly("rollback", "roll-forward", "verify", "verify");
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
