package io.jenkins.plugins.deployrollback;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Item;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.run.JobState;
import io.jenkins.plugins.deployrollback.ui.RollbackToBuildAction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.Before;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

public class RollbackToBuildActionTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public DeployHost host = new DeployHost();

    private WorkflowJob job;
    private WorkflowRun first;
    private WorkflowRun second;

    @Before
    public void twoBuildsDeployedR1ThenR2() throws Exception {
        host.start();
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ)
                .everywhere()
                .to("alice", "carol")
                .grant(Item.BUILD)
                .everywhere()
                .to("alice"));
        job = j.createProject(WorkflowJob.class, "app");
        first = deploy("r1");
        second = deploy("r2");
    }

    @Test
    public void rollbackToBuildIsOfferedOnBuildsWhoseReleaseIsNotLive() {
        assertThat(first.getAction(RollbackToBuildAction.class)).isNotNull();
        assertThat(second.getAction(RollbackToBuildAction.class)).isNull();
    }

    @Test
    public void userWhoMayBuildRollsBackFromTheBuildsPageAndTheLogNamesThem() throws Exception {
        JenkinsRule.WebClient alice = j.createWebClient().login("alice");

        HtmlPage confirmation = alice.getPage(first, "rollback-to-build");
        assertThat(confirmation.asNormalizedText()).contains(host.address()).containsIgnoringCase("switch");
        HtmlPage log = j.submit(confirmation.getFormByName("rollback-prod"));

        assertThat(log.getUrl().getPath()).contains(job.getUrl() + "deployments/rollbacks/");
        String id = lastSegment(log.getUrl().getPath());
        Path logFile = JobState.of(job).rollbackLog(id);
        Pipelines.awaitUntil(
                "finished rolling back", () -> Files.readString(logFile).contains("Finished."));
        assertThat(liveInHistory()).isEqualTo("r1");
        assertThat(Pipelines.live(host.root())).isEqualTo("r1");
        assertThat(Files.readString(logFile)).contains("asked by alice");
        assertThat(alice.goTo(job.getUrl() + "deployments/rollbacks/" + id).asNormalizedText())
                .contains("alice");
    }

    @Test
    public void theConfirmationPageAnswersByItsDeadlineWhenAHostHangsAndNothingChanges() throws Exception {
        JenkinsRule.WebClient alice = j.createWebClient().login("alice");
        int deadline = RollbackToBuildAction.PLAN_SECONDS;
        RollbackToBuildAction.PLAN_SECONDS = 1;
        host.pause();
        String page;
        try {
            page = alice.getPage(first, "rollback-to-build").asNormalizedText();
        } finally {
            host.resume();
            RollbackToBuildAction.PLAN_SECONDS = deadline;
        }

        assertThat(page)
                .contains("The hosts of prod did not all answer within 1 s; the rollback itself may still work, and"
                        + " its log will say which host does not answer");
        assertThat(liveInHistory()).isEqualTo("r2");
        assertThat(Pipelines.live(host.root())).isEqualTo("r2");
        assertThat(rollbackLogs()).isEmpty();
    }

    @Test
    public void rollbackToBuildTakesOnlyAPostFromAUserWhoMayBuild() throws Exception {
        JenkinsRule.WebClient alice = j.createWebClient().login("alice");
        alice.assertFails(first.getUrl() + "rollback-to-build/rollback?environment=prod", 405);

        JenkinsRule.WebClient carol =
                j.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("carol");
        Page refused = carol.getPage(new WebRequest(
                carol.createCrumbedUrl(first.getUrl() + "rollback-to-build/rollback?environment=prod"),
                HttpMethod.POST));
        assertThat(refused.getWebResponse().getStatusCode()).isEqualTo(403);

        assertThat(liveInHistory()).isEqualTo("r2");
        assertThat(Pipelines.live(host.root())).isEqualTo("r2");
        assertThat(rollbackLogs()).isEmpty();
    }

    @Test
    public void buttonRunsAsTheJobAndStagesAReleaseTheHostNoLongerHasFromTheBuildsArchive() throws Exception {
        // The host lost r1's folder (pruned, or removed by hand): only build #1's archive still has it.
        deleteTree(host.root().resolve("releases").resolve("r1"));
        JenkinsRule.WebClient alice = j.createWebClient().login("alice");

        HtmlPage log = j.submit(alice.getPage(first, "rollback-to-build").getFormByName("rollback-prod"));
        Path logFile = JobState.of(job).rollbackLog(lastSegment(log.getUrl().getPath()));
        Pipelines.awaitUntil(
                "finished rolling back", () -> Files.readString(logFile).contains("Finished."));

        assertThat(Files.readString(logFile)).doesNotContain("FAILED");
        assertThat(Pipelines.live(host.root())).isEqualTo("r1");
        assertThat(Pipelines.index(host.root(), "r1")).isEqualTo("release r1");
        assertThat(liveInHistory()).isEqualTo("r1");
    }

    @Test
    public void buttonRefusesAnEnvironmentWhoseChecksWouldRunACommandOnTheController() throws Exception {
        WorkflowJob checked = j.createProject(WorkflowJob.class, "checked");
        String verified = "verifyAfterRollback: true,"
                + " gates: [gate(name: 'smoke', checks: [commandCheck(name: 'probe', command: 'true')])]";
        WorkflowRun r1 = deploy(checked, "r1", verified);
        deploy(checked, "r2", verified);
        JenkinsRule.WebClient alice =
                j.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("alice");

        String page = alice.getPage(r1, "rollback-to-build").asNormalizedText();
        Page refused = alice.getPage(new WebRequest(
                alice.createCrumbedUrl(r1.getUrl() + "rollback-to-build/rollback?environment=prod"), HttpMethod.POST));

        assertThat(page).contains("smoke/probe").contains("Jenkins controller");
        assertThat(refused.getWebResponse().getStatusCode()).isEqualTo(409);
        assertThat(refused.getWebResponse().getContentAsString()).contains("rollback step in a Pipeline");
        assertThat(Pipelines.live(host.root())).isEqualTo("r2");
        assertThat(rollbackLogs(checked)).isEmpty();
    }

    @Test
    public void aGetOfTheConfirmationPageChangesNothing() throws Exception {
        JenkinsRule.WebClient alice = j.createWebClient().login("alice");

        alice.getPage(first, "rollback-to-build");
        alice.goTo(first.getUrl() + "rollback-to-build/");

        assertThat(liveInHistory()).isEqualTo("r2");
        assertThat(Pipelines.live(host.root())).isEqualTo("r2");
        assertThat(rollbackLogs()).isEmpty();
    }

    private WorkflowRun deploy(String id) throws Exception {
        return deploy(job, id, null);
    }

    private WorkflowRun deploy(WorkflowJob on, String id, String options) throws Exception {
        return Pipelines.succeed(j, on, """
                node {
                  %s
                  deploy(environment: 'prod', artifacts: '%s', release: '%s', %s%s)
                }
                """.formatted(
                        Pipelines.writeRelease(id), id, id, host.target(), options == null ? "" : ", " + options));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private String liveInHistory() throws IOException {
        return JobState.of(job)
                .history()
                .read(EnvironmentName.of("prod"))
                .current()
                .map(ReleaseId::value)
                .orElse(null);
    }

    private List<Path> rollbackLogs() throws IOException {
        return rollbackLogs(job);
    }

    private static List<Path> rollbackLogs(WorkflowJob of) throws IOException {
        Path folder = JobState.of(of).rollbackLog("any").getParent();
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> logs = Files.list(folder)) {
            return logs.toList();
        }
    }

    private static String lastSegment(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }
}
