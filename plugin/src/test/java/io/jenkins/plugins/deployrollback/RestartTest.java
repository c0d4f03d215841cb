package io.jenkins.plugins.deployrollback;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Item;
import hudson.model.Label;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.run.JobState;
import io.jenkins.plugins.deployrollback.ui.DeploymentAction;
import io.jenkins.plugins.deployrollback.ui.GateApprovalAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.JenkinsSessionRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/**
 * A restart of Jenkins while a step runs does not end the step: its question stays on the build page
 * with its deadline, the step runs again after the restart and completes the operation, and the
 * history has one record of it.
 */
public class RestartTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsSessionRule sessions = new JenkinsSessionRule();

    @Rule
    public DeployHost host = new DeployHost();

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void aQuestionAskedBeforeARestartIsAskedAgainWithItsDeadlineAndItsAnswerCompletesTheDeploy()
            throws Throwable {
        AtomicReference<Date> deadline = new AtomicReference<>();
        sessions.then(j -> {
            WorkflowRun build = r1ThenR2WaitingForAlice(j, "", ", timeoutMinutes: 60", "");
            WorkflowJob job = build.getParent();
            assertThat(Pipelines.live(host.root()))
                    .as("live while the gate asks")
                    .isEqualTo("r2");
            assertThat(build.getExecution().blocksRestart())
                    .as("a safe restart waits for no approval")
                    .isFalse();
            assertThat(j.createWebClient()
                            .login("alice")
                            .getPage(job, "deployments")
                            .asNormalizedText())
                    .as("the Deployments page while the gate asks")
                    .contains("Live: r1")
                    .contains("Not recorded yet: deploy of r2 (r1 → r2) by app #2, switching since")
                    .contains("The hosts may already serve r2");
            deadline.set(build.getAction(GateApprovalAction.class)
                    .getPending()
                    .get(0)
                    .getDeadline());
        });
        sessions.then(j -> {
            aliceMayBuild(j);
            WorkflowRun build = build(j, 2);
            j.waitForMessage("still waits for the approval asked before the interruption", build);
            GateApprovalAction approvals = build.getAction(GateApprovalAction.class);
            assertThat(approvals.getPending()).singleElement().satisfies(question -> {
                assertThat(question.getId()).isEqualTo("1");
                assertThat(question.getGate()).isEqualTo("sign-off");
                assertThat(question.getRelease()).isEqualTo("r2");
                assertThat(question.getDeadline()).isEqualTo(deadline.get());
            });

            proceedAsAlice(j, build, "&comment=after+the+restart");

            j.assertBuildStatusSuccess(j.waitForCompletion(build));
            j.assertLogContains("Jenkins restarted while this step ran on prod", build);
            j.assertLogContains("Approved by alice: after the restart", build);
            assertThat(approvals.getAnswers()).singleElement().satisfies(answer -> {
                assertThat(answer.getBy()).isEqualTo("alice");
                assertThat(answer.getAnswer()).isEqualTo("APPROVED");
            });
            assertThat(approvals.getPending()).isEmpty();
            assertOneSucceededDeployOfR2(build);
        });
    }

    @Test
    public void anAnswerGivenBeforeTheStepAsksAgainAfterARestartIsTheAnswerItGets() throws Throwable {
        Path first = temp.getRoot().toPath().resolve("first");
        Path again = temp.getRoot().toPath().resolve("again");
        Path go = temp.getRoot().toPath().resolve("go");
        // The first run passes at once; the run after the restart waits until the test lets it go on.
        String hook = "if [ ! -e " + first + " ]; then touch " + first + "; exit 0; fi; touch " + again
                + "; while [ ! -e " + go + " ]; do sleep 0.1; done";
        sessions.then(j -> r1ThenR2WaitingForAlice(
                j,
                "",
                "",
                ", hooks: [hook(name: 'warm-up', command: '" + hook + "', phase: 'afterSwitch', runOn: 'deploy')]"));
        sessions.then(j -> {
            aliceMayBuild(j);
            WorkflowRun build = build(j, 2);
            Pipelines.awaitUntil("the run after the restart in its hook", () -> Files.exists(again));
            GateApprovalAction approvals = build.getAction(GateApprovalAction.class);
            assertThat(approvals.getPending())
                    .as("on the page while the step has not asked again")
                    .singleElement()
                    .satisfies(question -> assertThat(question.getGate()).isEqualTo("sign-off"));

            proceedAsAlice(j, build, "");
            assertThat(approvals.getPending()).as("answered").isEmpty();
            Files.createFile(go);

            j.assertBuildStatusSuccess(j.waitForCompletion(build));
            j.assertLogContains("the approval asked before the interruption was answered meanwhile", build);
            j.assertLogContains("Approved by alice", build);
            assertOneSucceededDeployOfR2(build);
        });
    }

    @Test
    public void onAnAgentTheQuestionSurvivesARestartAndTheDeployCompletesThere() throws Throwable {
        sessions.then(j -> {
            j.createOnlineSlave(Label.get("remote"));
            r1ThenR2WaitingForAlice(j, "remote", "", "");
        });
        sessions.then(j -> {
            aliceMayBuild(j);
            WorkflowRun build = build(j, 2);
            j.waitForMessage("still waits for the approval asked before the interruption", build);

            proceedAsAlice(j, build, "");

            j.assertBuildStatusSuccess(j.waitForCompletion(build));
            j.assertLogContains("Jenkins restarted while this step ran on prod", build);
            j.assertLogContains("Approved by alice", build);
            assertOneSucceededDeployOfR2(build);
        });
    }

    @Test
    public void whenTheAgentReconnectsWhileTheStepWaitsTheStepRunsAgainThereAndKeepsItsQuestion() throws Throwable {
        sessions.then(j -> {
            DumbSlave agent = j.createOnlineSlave(Label.get("remote"));
            WorkflowRun build = r1ThenR2WaitingForAlice(j, "remote", "", "");

            j.disconnectSlave(agent);
            j.waitForMessage("Lost the connection to slave0 while this step ran on prod", build);
            agent.toComputer().connect(false).get();
            j.waitForMessage("still waits for the approval asked before the interruption", build);
            assertThat(build.getAction(GateApprovalAction.class).getPending())
                    .singleElement()
                    .satisfies(question -> assertThat(question.getId()).isEqualTo("1"));

            proceedAsAlice(j, build, "");

            j.assertBuildStatusSuccess(j.waitForCompletion(build));
            j.assertLogContains("slave0 is back: running the step again", build);
            assertOneSucceededDeployOfR2(build);
        });
    }

    @Test
    public void aDeployInterruptedByARestartRunsAgainAfterItAndCompletes() throws Throwable {
        Path started = temp.getRoot().toPath().resolve("started");
        Path go = temp.getRoot().toPath().resolve("go");
        sessions.then(j -> {
            host.start();
            WorkflowJob job = j.createProject(WorkflowJob.class, "app");
            Pipelines.succeed(j, job, deploy("r1", ""));
            // Runs on the host (this machine) until the test lets it finish.
            String waits = "touch " + started + "; while [ ! -e " + go + " ]; do sleep 0.1; done";
            WorkflowRun build = Pipelines.start(
                    job,
                    deploy(
                            "r2",
                            ", hooks: [hook(name: 'migrate', command: '" + waits
                                    + "', phase: 'beforeSwitch', runOn: 'deploy')]"));
            Pipelines.awaitUntil("the hook running", () -> Files.exists(started));
            assertThat(build.isBuilding()).isTrue();
            assertThat(build.getExecution().blocksRestart())
                    .as("a safe restart waits for a step changing hosts")
                    .isTrue();
        });
        sessions.then(j -> {
            WorkflowRun build = build(j, 2);
            Files.createFile(go);

            j.assertBuildStatusSuccess(j.waitForCompletion(build));
            j.assertLogContains("Jenkins restarted while this step ran on prod", build);
            assertThat(Pipelines.live(host.root())).isEqualTo("r2");
            assertOneSucceededDeployOfR2(build);
        });
    }

    /**
     * With alice allowed to build: job {@code app} deploys r1 (build #1) on {@code label} (empty: the
     * built-in node), then starts deploying r2 (build #2) with {@code options}, gated by an approval
     * only alice may give ({@code approvalOptions} added to it); returns build #2 once it asks.
     */
    private WorkflowRun r1ThenR2WaitingForAlice(JenkinsRule j, String label, String approvalOptions, String options)
            throws Exception {
        aliceMayBuild(j);
        host.start();
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");
        String node = label.isEmpty() ? "node {" : "node('" + label + "') {";
        Pipelines.succeed(j, job, deploy("r1", "").replace("node {", node));
        WorkflowRun build = Pipelines.start(
                job,
                deploy(
                                "r2",
                                options + ", gates: [gate(name: 'sign-off', checks: [approvalCheck(name: 'ok',"
                                        + " approvers: 'alice'" + approvalOptions + ")])]")
                        .replace("node {", node));
        j.waitForMessage("waits for approval", build);
        return build;
    }

    /** Alice presses Proceed on {@code build}'s question 1, as the page's form would post it. */
    private static void proceedAsAlice(JenkinsRule j, WorkflowRun build, String more) throws Exception {
        JenkinsRule.WebClient alice = j.createWebClient().login("alice");
        alice.getPage(new WebRequest(
                alice.createCrumbedUrl(build.getUrl() + "deploy-approvals/proceed?id=1" + more), HttpMethod.POST));
    }

    /** Build #2 deployed r2 once: one entry on the build, one record after r1's in the history. */
    private void assertOneSucceededDeployOfR2(WorkflowRun build) throws Exception {
        assertThat(Pipelines.live(host.root())).isEqualTo("r2");
        assertThat(build.getAction(DeploymentAction.class).getEntries())
                .singleElement()
                .satisfies(entry -> assertThat(entry.getOutcome()).isEqualTo("SUCCEEDED"));
        List<DeploymentRecord> records = JobState.of(build.getParent())
                .history()
                .read(EnvironmentName.of("prod"))
                .records();
        assertThat(records)
                .extracting(r -> r.release().value() + " " + r.outcome())
                .containsExactly("r1 SUCCEEDED", "r2 SUCCEEDED");
    }

    private static WorkflowRun build(JenkinsRule j, int number) {
        WorkflowJob job = j.jenkins.getItemByFullName("app", WorkflowJob.class);
        assertThat(job).isNotNull();
        WorkflowRun build = job.getBuildByNumber(number);
        assertThat(build).isNotNull();
        return build;
    }

    private static void aliceMayBuild(JenkinsRule j) {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ, Item.BUILD)
                .everywhere()
                .to("alice"));
    }

    private String deploy(String id, String options) {
        return """
                node {
                  %s
                  deploy(environment: 'prod', artifacts: '%s', release: '%s', %s%s)
                }
                """.formatted(Pipelines.writeRelease(id), id, id, host.target(), options);
    }
}
