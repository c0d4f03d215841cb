package io.jenkins.plugins.deployrollback.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.flow.DeployRequest;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentResult;
import io.jenkins.plugins.deployrollback.engine.gate.ApprovalCheck;
import io.jenkins.plugins.deployrollback.engine.gate.ApprovalDecision;
import io.jenkins.plugins.deployrollback.engine.gate.ApprovalRequest;
import io.jenkins.plugins.deployrollback.engine.gate.Approver;
import io.jenkins.plugins.deployrollback.engine.gate.CheckVerdict;
import io.jenkins.plugins.deployrollback.engine.gate.Gate;
import io.jenkins.plugins.deployrollback.engine.gate.Measurement;
import io.jenkins.plugins.deployrollback.engine.gate.SampleResult;
import io.jenkins.plugins.deployrollback.engine.gate.Verdict;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseFolders;
import io.jenkins.plugins.deployrollback.engine.testing.Stack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RemoteApproverTest {
    private static final ApprovalRequest REQUEST = new ApprovalRequest(
            EnvironmentName.of("production"),
            ReleaseId.of("r2"),
            "release",
            "sign-off",
            "Keep r2 live in production?",
            List.of("alice", "bob"),
            Duration.ofMinutes(15),
            List.of(new CheckVerdict(
                    "errors",
                    "prometheus",
                    Verdict.PASS,
                    "error rate ≤ 5% in 10 of 10 samples",
                    false,
                    10,
                    List.of(new Measurement(
                            1,
                            Instant.parse("2026-11-23T10:00:00.123456789Z"),
                            "sum(rate(errors[1m]))",
                            "0.012",
                            "<= 0.05",
                            SampleResult.PASS)))));

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    /** What the far side was asked. */
    private final List<ApprovalRequest> asked = new CopyOnWriteArrayList<>();

    private Approver farSide(ApprovalDecision decision) {
        return request -> {
            asked.add(request);
            return decision;
        };
    }

    @Test
    public void theRequestCrossesWithItsEvidenceAndTheApprovalComesBackNamingWhoAndWhatTheySaid()
            throws InterruptedException {
        ApprovalDecision approved = ApprovalDecision.approved("alice", "metrics look fine");

        ApprovalDecision decision = new RemoteApprover(ApprovalWire.serving(farSide(approved))).ask(REQUEST);

        assertThat(asked).containsExactly(REQUEST);
        assertThat(decision).isEqualTo(approved);
    }

    @Test
    public void aRejectionComesBackAsARejection() throws InterruptedException {
        ApprovalDecision rejected = ApprovalDecision.rejected("bob", null);

        assertThat(new RemoteApprover(ApprovalWire.serving(farSide(rejected))).ask(REQUEST))
                .isEqualTo(rejected);
    }

    @Test
    public void anAnswerGivenAsAGroupComesBackNamingThePersonAndTheGroup() throws InterruptedException {
        ApprovalDecision approved = ApprovalDecision.approved("carol", "release-managers", null);

        ApprovalDecision decision = new RemoteApprover(ApprovalWire.serving(farSide(approved))).ask(REQUEST);

        assertThat(decision).isEqualTo(approved);
        assertThat(decision.describeWho()).isEqualTo("carol (as release-managers)");
    }

    @Test
    public void noAnswerComesBackWithWhyThereIsNone() throws InterruptedException {
        assertThat(new RemoteApprover(ApprovalWire.serving(Approver.NONE)).ask(REQUEST))
                .isEqualTo(ApprovalDecision.noAnswer("nobody can be asked here"));
    }

    @Test
    public void anUnreadableDecisionIsRefusedSayingBothEndsMustMatch() {
        RemoteApprover approver = new RemoteApprover(requestJson -> "{\"answer\":\"MAYBE\"}");

        assertThatThrownBy(() -> approver.ask(REQUEST))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("The approval decision that came across the approval wire is unreadable (")
                .hasMessageEndingWith("): both ends must run the same version of Deploy Rollback, and the wire must"
                        + " carry the text unchanged");
    }

    @Test
    public void anInterruptionWhileTheFarSideWaitsEndsTheQuestionWithInterruptedException() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        Approver neverAnswers = request -> {
            waiting.countDown();
            new CountDownLatch(1).await();
            throw new AssertionError("the wait ended without an interruption");
        };
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread asker = new Thread(
                () -> {
                    try {
                        new RemoteApprover(ApprovalWire.serving(neverAnswers)).ask(REQUEST);
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                },
                "asker");
        asker.start();
        waiting.await();

        asker.interrupt();
        asker.join(Duration.ofMinutes(1).toMillis());

        assertThat(asker.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    public void aGatedDeployAsksTheFarSideWithTheEvidenceAndRecordsWhoApproved() throws Exception {
        try (Stack stack = new Stack(temp.getRoot().toPath(), 1)) {
            Gate health = Stack.healthGate(stack.servers.get(0).url("/health"));
            List<io.jenkins.plugins.deployrollback.engine.gate.Check> checks = new ArrayList<>(health.checks());
            checks.add(new ApprovalCheck("sign-off", null, List.of("alice"), Duration.ofMinutes(1), null, false));
            stack.gates = List.of(new Gate("release", checks, health.window()));
            ReleaseFolders.Prepared r1 = stack.releases.healthy("r1");

            DeploymentResult result = stack.engine
                    .withApprover(new RemoteApprover(
                            ApprovalWire.serving(farSide(ApprovalDecision.approved("alice", "ship it")))))
                    .deploy(stack.environment(), new DeployRequest(r1.release(), r1.source(), "tester", null));

            assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(asked).singleElement().satisfies(request -> {
                assertThat(request.release()).isEqualTo(ReleaseId.of("r1"));
                assertThat(request.question()).isEqualTo("Keep r1 live in staging?");
                assertThat(request.evidence()).extracting(CheckVerdict::check).containsExactly("health");
                assertThat(request.evidence().get(0).measurements()).isNotEmpty();
            });
            assertThat(result.record().gates().get(0).checks()).last().satisfies(c -> assertThat(c.reason())
                    .contains("approved by alice (ship it)"));
        }
    }

    @Test
    public void aWireThatFailsStopsTheQuestionAsAnInterruptionNamingTheGateAndTheCause() {
        RemoteApprover approver = new RemoteApprover(requestJson -> {
            throw new IllegalStateException("channel closed: the controller restarted");
        });

        assertThatThrownBy(() -> approver.ask(REQUEST))
                .isInstanceOf(InterruptedException.class)
                .hasMessage("The approval of gate release could not be asked: channel closed: the controller"
                        + " restarted; stopping as if interrupted, so that running it again completes it")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    public void aDeployWhoseApprovalWireFailsStopsUnrecordedWithTheReleaseLiveAndRunningItAgainCompletesIt()
            throws Exception {
        try (Stack stack = new Stack(temp.getRoot().toPath(), 1)) {
            stack.deployHealthy("r1");
            Gate health = Stack.healthGate(stack.servers.get(0).url("/health"));
            List<io.jenkins.plugins.deployrollback.engine.gate.Check> checks = new ArrayList<>(health.checks());
            checks.add(new ApprovalCheck("sign-off", null, List.of("alice"), Duration.ofMinutes(1), null, false));
            stack.gates = List.of(new Gate("release", checks, health.window()));
            ReleaseFolders.Prepared r2 = stack.releases.healthy("r2");
            RemoteApprover lost = new RemoteApprover(requestJson -> {
                throw new IllegalStateException("channel closed");
            });

            assertThatThrownBy(() -> stack.engine
                            .withApprover(lost)
                            .deploy(stack.environment(), new DeployRequest(r2.release(), r2.source(), "tester", null)))
                    .isInstanceOf(java.io.InterruptedIOException.class)
                    .hasMessageContaining("was not recorded");
            assertThat(Thread.interrupted())
                    .as("the interruption is kept for the caller")
                    .isTrue();

            assertThat(stack.page(0)).as("the release the gate was verifying").isEqualTo("release r2\n");
            assertThat(stack.roots.get(0).resolve(".deploy/lock")).doesNotExist();
            assertThat(stack.engine.history(stack.name).records())
                    .extracting(r -> r.outcome())
                    .containsExactly(Outcome.SUCCEEDED);

            DeploymentResult again = stack.engine
                    .withApprover(new RemoteApprover(
                            ApprovalWire.serving(farSide(ApprovalDecision.approved("alice", "after the restart")))))
                    .deploy(stack.environment(), new DeployRequest(r2.release(), r2.source(), "tester", null));

            assertThat(again.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(asked).singleElement().satisfies(request -> assertThat(request.gate())
                    .isEqualTo("release"));
            assertThat(stack.engine.history(stack.name).records())
                    .extracting(r -> r.outcome())
                    .containsExactly(Outcome.SUCCEEDED, Outcome.SUCCEEDED);
            assertThat(stack.page(0)).isEqualTo("release r2\n");
        }
    }
}
