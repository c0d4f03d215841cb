package io.jenkins.plugins.deployrollback;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Item;
import hudson.model.Result;
import hudson.security.AuthorizationStrategy;
import hudson.security.SecurityRealm;
import io.jenkins.plugins.deployrollback.ui.GateApprovalAction;
import io.jenkins.plugins.deployrollback.ui.GateRejection;
import jenkins.model.InterruptedBuildAction;
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

public class ApprovalGateTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    private WorkflowJob job;

    @Before
    public void aliceBobAndCarolMayBuildAndCarolIsAReleaseManager() throws Exception {
        JenkinsRule.DummySecurityRealm realm = j.createDummySecurityRealm();
        realm.addGroups("carol", "release-managers");
        j.jenkins.setSecurityRealm(realm);
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ, Item.BUILD)
                .everywhere()
                .to("alice", "bob", "carol"));
        job = j.createProject(WorkflowJob.class, "app");
    }

    @Test
    public void onlyTheListedApproverProceedsAndOnlyByPost() throws Exception {
        WorkflowRun build = startVerifyWaitingForApproval();
        GateApprovalAction approvals = build.getAction(GateApprovalAction.class);

        JenkinsRule.WebClient bob =
                j.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("bob");
        Page refused = bob.getPage(post(bob, build, "deploy-approvals/proceed?id=1"));
        assertThat(refused.getWebResponse().getStatusCode()).isEqualTo(403);

        JenkinsRule.WebClient alice = j.createWebClient().login("alice");
        alice.assertFails(build.getUrl() + "deploy-approvals/proceed?id=1", 405);

        assertThat(approvals.getPending()).hasSize(1);
        assertThat(approvals.getAnswers()).isEmpty();
        assertThat(build.isBuilding()).isTrue();

        alice.getPage(post(alice, build, "deploy-approvals/proceed?id=1&comment=looks+good"));

        j.assertBuildStatusSuccess(j.waitForCompletion(build));
        j.assertLogContains("Approved by alice", build);
        assertThat(approvals.getPending()).isEmpty();
        assertThat(approvals.getAnswers()).singleElement().satisfies(answer -> {
            assertThat(answer.getBy()).isEqualTo("alice");
            assertThat(answer.getAnswer()).isEqualTo("APPROVED");
            assertThat(answer.getGate()).isEqualTo("sign-off");
            assertThat(answer.getEnvironment()).isEqualTo("prod");
            assertThat(answer.getComment()).isEqualTo("looks good");
        });
    }

    @Test
    public void abortByTheListedApproverEndsTheBuildAbortedNamingThem() throws Exception {
        WorkflowRun build = startVerifyWaitingForApproval();

        JenkinsRule.WebClient alice = j.createWebClient().login("alice");
        alice.getPage(post(alice, build, "deploy-approvals/abort?id=1&comment=not+today"));

        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(build));
        j.assertLogContains("Rejected by alice", build);
        assertThat(build.getAction(InterruptedBuildAction.class).getCauses())
                .singleElement()
                .isInstanceOfSatisfying(GateRejection.class, rejection -> {
                    assertThat(rejection.getUserId()).isEqualTo("alice");
                    assertThat(rejection.getGate()).isEqualTo("sign-off");
                });
        assertThat(build.getAction(GateApprovalAction.class).getAnswers())
                .singleElement()
                .satisfies(answer -> {
                    assertThat(answer.getBy()).isEqualTo("alice");
                    assertThat(answer.getAnswer()).isEqualTo("REJECTED");
                });
    }

    @Test
    public void aMemberOfAListedGroupApprovesAndIsRecordedWithTheGroup() throws Exception {
        WorkflowRun build = startVerifyWaitingForApproval("alice,Release-Managers");

        JenkinsRule.WebClient bob =
                j.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("bob");
        assertThat(bob.getPage(post(bob, build, "deploy-approvals/proceed?id=1"))
                        .getWebResponse()
                        .getStatusCode())
                .isEqualTo(403);

        JenkinsRule.WebClient carol = j.createWebClient().login("carol");
        carol.getPage(post(carol, build, "deploy-approvals/proceed?id=1"));

        j.assertBuildStatusSuccess(j.waitForCompletion(build));
        j.assertLogContains("Approved by carol (as Release-Managers)", build);
        assertThat(build.getAction(GateApprovalAction.class).getAnswers())
                .singleElement()
                .satisfies(answer -> {
                    assertThat(answer.getBy()).isEqualTo("carol");
                    assertThat(answer.getAs()).isEqualTo("Release-Managers");
                    assertThat(answer.getAnswer()).isEqualTo("APPROVED");
                });
    }

    @Test
    public void aRejectionByAGroupMemberNamesThePersonAndTheGroup() throws Exception {
        WorkflowRun build = startVerifyWaitingForApproval("release-managers");

        JenkinsRule.WebClient carol = j.createWebClient().login("carol");
        carol.getPage(post(carol, build, "deploy-approvals/abort?id=1"));

        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(build));
        assertThat(build.getAction(InterruptedBuildAction.class).getCauses())
                .singleElement()
                .isInstanceOfSatisfying(GateRejection.class, rejection -> {
                    assertThat(rejection.getUserId()).isEqualTo("carol");
                    assertThat(rejection.getAs()).isEqualTo("release-managers");
                    assertThat(rejection.getShortDescription())
                            .isEqualTo("Rejected by carol (as release-managers) at gate sign-off");
                });
    }

    @Test
    public void onAnInstanceWithoutSecurityAnonymousAnswersAnApprovalWithNoApproversListed() throws Exception {
        j.jenkins.setSecurityRealm(SecurityRealm.NO_AUTHENTICATION);
        j.jenkins.setAuthorizationStrategy(AuthorizationStrategy.UNSECURED);
        WorkflowRun build = startVerifyWaitingForApproval("");
        JenkinsRule.WebClient anonymous = j.createWebClient();

        HtmlPage page = anonymous.getPage(build, "deploy-approvals");
        j.submit(page.getFormByName("proceed-1"));

        j.assertBuildStatusSuccess(j.waitForCompletion(build));
        j.assertLogContains("Approved by anonymous", build);
        assertThat(build.getAction(GateApprovalAction.class).getAnswers())
                .singleElement()
                .satisfies(answer -> assertThat(answer.getBy()).isEqualTo("anonymous"));
    }

    @Test
    public void aRefusalTellsWhoMayAnswer() throws Exception {
        WorkflowRun build = startVerifyWaitingForApproval();
        JenkinsRule.WebClient bob =
                j.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("bob");

        Page refused = bob.getPage(post(bob, build, "deploy-approvals/proceed?id=1"));

        assertThat(refused.getWebResponse().getStatusCode()).isEqualTo(403);
        assertThat(refused.getWebResponse().getContentAsString())
                .contains("You may not answer this approval: it is for alice");
    }

    /** Deploys to a folder, then verifies with an approval only alice may give; returns once it asks. */
    @Test
    public void theApprovalPageAndTheBuildSummaryAreRenderedAndItsProceedFormAnswers() throws Exception {
        WorkflowRun build = startVerifyWaitingForApproval();
        JenkinsRule.WebClient alice = j.createWebClient().login("alice");

        HtmlPage page = alice.getPage(build, "deploy-approvals");
        assertThat(page.asNormalizedText())
                .contains("Gate sign-off of prod, release r1")
                .contains("alice");
        j.submit(page.getFormByName("proceed-1"));
        j.assertBuildStatusSuccess(j.waitForCompletion(build));

        String summary = alice.getPage(build).asNormalizedText();
        assertThat(summary)
                .contains("deploy of prod")
                .contains("verify of prod")
                .contains("SUCCEEDED");
        assertThat(summary).contains("Approved by alice at gate sign-off");
    }

    private WorkflowRun startVerifyWaitingForApproval() throws Exception {
        return startVerifyWaitingForApproval("alice");
    }

    /** Deploys to a folder, then verifies with an approval only {@code approvers} may give; returns once it asks. */
    private WorkflowRun startVerifyWaitingForApproval(String approvers) throws Exception {
        WorkflowRun build = Pipelines.start(job, """
                node {
                  %s
                  deploy(environment: 'prod', artifacts: 'r1', release: 'r1', path: 'target-dir')
                  verifyGate(environment: 'prod',
                             gates: [gate(name: 'sign-off', checks: [approvalCheck(name: 'ok', approvers: '%s')])])
                }
                """.formatted(Pipelines.writeRelease("r1"), approvers));
        j.waitForMessage("waits for approval", build);
        GateApprovalAction approvals = build.getAction(GateApprovalAction.class);
        assertThat(approvals.getPending()).singleElement().satisfies(question -> {
            assertThat(question.getId()).isEqualTo("1");
            assertThat(question.getGate()).isEqualTo("sign-off");
            assertThat(String.join(",", question.getApprovers())).isEqualTo(approvers);
        });
        return build;
    }

    /** A POST of {@code relative} under {@code build}, with the crumb a form would send. */
    private static WebRequest post(JenkinsRule.WebClient client, WorkflowRun build, String relative) throws Exception {
        return new WebRequest(client.createCrumbedUrl(build.getUrl() + relative), HttpMethod.POST);
    }
}
