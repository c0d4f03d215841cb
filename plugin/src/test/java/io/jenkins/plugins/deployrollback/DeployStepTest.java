package io.jenkins.plugins.deployrollback;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.ui.DeploymentAction;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

public class DeployStepTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public DeployHost host = new DeployHost();

    @Test
    public void deployPutsTheWorkspaceFolderLiveOnTheHostAndReturnsTheResult() throws Exception {
        host.start();
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");

        WorkflowRun build = Pipelines.succeed(j, job, """
                node {
                  writeFile file: 'app/index.html', text: 'hello from build 1'
                  def r = deploy(environment: 'prod', artifacts: 'app', %s)
                  echo "release=${r.release} live=${r.live} outcome=${r.outcome}"
                }
                """.formatted(host.target()));

        j.assertLogContains("release=build-1 live=build-1 outcome=SUCCEEDED", build);
        assertThat(Pipelines.live(host.root())).isEqualTo("build-1");
        assertThat(Pipelines.index(host.root(), "build-1")).isEqualTo("hello from build 1");
    }

    @Test
    public void buildRecordsTheDeploymentWithTheEnvironmentAsDefined() throws Exception {
        host.start();
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");

        WorkflowRun build = Pipelines.succeed(j, job, """
                node {
                  %s
                  deploy(environment: 'prod', artifacts: 'r1', release: 'r1', %s)
                }
                """.formatted(Pipelines.writeRelease("r1"), host.target()));

        List<DeploymentAction.Entry> entries =
                build.getAction(DeploymentAction.class).getEntries();
        assertThat(entries).hasSize(1);
        DeploymentAction.Entry entry = entries.get(0);
        assertThat(entry.getEnvironment()).isEqualTo("prod");
        assertThat(entry.getOperation()).isEqualTo("deploy");
        assertThat(entry.getRelease()).isEqualTo("r1");
        assertThat(entry.getLive()).isEqualTo("r1");
        assertThat(entry.getOutcome()).isEqualTo("SUCCEEDED");
        assertThat(entry.isShipped()).isTrue();
        assertThat(entry.getSpec().getHosts()).containsExactly(host.address());
        assertThat(entry.getSpec().getPath()).isEqualTo(host.root().toString());
        assertThat(entry.getSpec().getCredentialsId()).isEqualTo(DeployHost.CREDENTIALS_ID);
    }

    @Test
    public void privateKeyNeverReachesTheLogTheBuildRecordOrTheJobsFiles() throws Exception {
        host.start();
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");

        WorkflowRun build = Pipelines.succeed(j, job, """
                node {
                  %s
                  deploy(environment: 'prod', artifacts: 'r1', release: 'r1', %s)
                }
                """.formatted(Pipelines.writeRelease("r1"), host.target()));

        String log = JenkinsRule.getLog(build);
        String buildXml = Files.readString(new File(build.getRootDir(), "build.xml").toPath());
        assertThat(buildXml).contains(DeployHost.CREDENTIALS_ID);
        for (String secret : host.privateKeyLines()) {
            assertThat(log).doesNotContain(secret);
            assertThat(buildXml).doesNotContain(secret);
        }
        try (Stream<Path> files = Files.walk(job.getRootDir().toPath())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String secret : host.privateKeyLines()) {
                    assertThat(content).as("the content of " + file).doesNotContain(secret);
                }
            }
        }
    }

    @Test
    public void withoutHostsThePathIsAFolderInTheWorkspaceAndNeedsNoCredentials() throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");

        WorkflowRun build = Pipelines.succeed(j, job, """
                node {
                  %s
                  def r = deploy(environment: 'staging', artifacts: 'r1', release: 'r1', path: 'target-dir')
                  echo "release=${r.release} live=${r.live} outcome=${r.outcome}"
                }
                """.formatted(Pipelines.writeRelease("r1")));

        j.assertLogContains("release=r1 live=r1 outcome=SUCCEEDED", build);
        Path target = Pipelines.workspace(j, job).resolve("target-dir");
        assertThat(Pipelines.live(target)).isEqualTo("r1");
        assertThat(Pipelines.index(target, "r1")).isEqualTo("release r1");
    }
}
