package io.jenkins.plugins.deployrollback;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseServer;
import io.jenkins.plugins.deployrollback.ui.DeploymentAction;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

public class AutomaticRollbackTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public DeployHost host = new DeployHost();

    @Test
    public void releaseWhoseHealthGateFailsIsRolledBackAndFailsTheBuildWithTheCause() throws Exception {
        host.start();
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");
        try (ReleaseServer web = new ReleaseServer(host.root())) {
            Pipelines.succeed(j, job, """
                    node {
                      %s
                      deploy(environment: 'prod', artifacts: 'r1', release: 'r1', %s)
                    }
                    """.formatted(Pipelines.writeRelease("r1"), host.target()));

            WorkflowRun broken = j.assertBuildStatus(Result.FAILURE, Pipelines.run(j, job, """
                    node {
                      %s
                      writeFile file: 'r2/status', text: '500'
                      deploy(environment: 'prod', artifacts: 'r2', release: 'r2', %s,
                             gates: [gate(name: 'health', checks: [httpCheck(name: 'up', url: '%s')])])
                    }
                    """.formatted(
                            Pipelines.writeRelease("r2"), host.target(), web.url("/health"))));

            j.assertLogContains("health FAIL", broken);
            j.assertLogContains("deploy of prod ended ROLLED_BACK", broken);
            assertThat(Pipelines.live(host.root())).isEqualTo("r1");
            assertThat(broken.getAction(DeploymentAction.class).getEntries())
                    .singleElement()
                    .satisfies(entry -> {
                        assertThat(entry.getRelease()).isEqualTo("r2");
                        assertThat(entry.getOutcome()).isEqualTo("ROLLED_BACK");
                        assertThat(entry.getLive()).isEqualTo("r1");
                        assertThat(entry.getCause()).contains("health");
                    });
        }
    }

    @Test
    public void withFailBuildFalseTheBuildGoesOnAndTheResultSaysItWasRolledBack() throws Exception {
        WorkflowJob job = jobWithR1LiveInAFolder();

        WorkflowRun build = Pipelines.succeed(j, job, """
                node {
                  %s
                  def r = deploy(environment: 'prod', artifacts: 'r2', release: 'r2', path: 'target-dir',
                                 failBuild: false,
                                 gates: [gate(name: 'smoke', checks: [commandCheck(name: 'smoke', command: 'exit 1')])])
                  echo "outcome=${r.outcome} rolledBack=${r.rolledBack} live=${r.live} succeeded=${r.succeeded}"
                }
                """.formatted(Pipelines.writeRelease("r2")));

        j.assertLogContains("outcome=ROLLED_BACK rolledBack=true live=r1 succeeded=false", build);
        Path target = Pipelines.workspace(j, job).resolve("target-dir");
        assertThat(Pipelines.live(target)).isEqualTo("r1");
    }

    @Test
    public void aCommandCheckOnTheEngineRunsInTheWorkspace() throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");

        WorkflowRun build = Pipelines.succeed(j, job, """
                node {
                  %s
                  writeFile file: 'smoke.sh', text: 'echo "smoke ran in $(pwd -P)"; test -f smoke.sh'
                  deploy(environment: 'prod', artifacts: 'r1', release: 'r1', path: 'target-dir',
                         gates: [gate(name: 'smoke', checks: [commandCheck(name: 'smoke', command: 'sh smoke.sh')])])
                }
                """.formatted(Pipelines.writeRelease("r1")));

        j.assertLogContains("smoke ran in " + Pipelines.workspace(j, job).toRealPath(), build);
        assertThat(build.getAction(DeploymentAction.class).getEntries())
                .singleElement()
                .satisfies(entry -> assertThat(entry.getOutcome()).isEqualTo("SUCCEEDED"));
    }

    @Test
    public void aStepNamingOnlyTheEnvironmentKeepsItsRecordedHostsAndTakesTheOptionsItGives() throws Exception {
        WorkflowJob job = jobWithR1LiveInAFolder();

        WorkflowRun build = Pipelines.succeed(j, job, """
                node {
                  %s
                  def r = deploy(environment: 'prod', artifacts: 'r2', release: 'r2', autoRollback: false,
                                 failBuild: false,
                                 gates: [gate(name: 'smoke', checks: [commandCheck(name: 'smoke', command: 'exit 1')])])
                  echo "outcome=${r.outcome} rolledBack=${r.rolledBack} live=${r.live}"
                }
                """.formatted(Pipelines.writeRelease("r2")));

        j.assertLogContains(
                "prod: hosts and path as this job's last deploy there recorded them, with this step's"
                        + " autoRollback, gates",
                build);
        j.assertLogContains("outcome=FAILED rolledBack=false live=r2", build);
        assertThat(Pipelines.live(Pipelines.workspace(j, job).resolve("target-dir")))
                .isEqualTo("r2");
    }

    /** A job whose first build deployed r1 to the folder {@code target-dir} of its workspace. */
    private WorkflowJob jobWithR1LiveInAFolder() throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");
        Pipelines.succeed(j, job, """
                node {
                  %s
                  deploy(environment: 'prod', artifacts: 'r1', release: 'r1', path: 'target-dir')
                }
                """.formatted(Pipelines.writeRelease("r1")));
        return job;
    }
}
