package io.jenkins.plugins.deployrollback.engine.gate;

import static io.jenkins.plugins.deployrollback.engine.gate.SampleResult.ERROR;
import static io.jenkins.plugins.deployrollback.engine.gate.SampleResult.FAIL;
import static io.jenkins.plugins.deployrollback.engine.gate.SampleResult.INCONCLUSIVE;
import static io.jenkins.plugins.deployrollback.engine.gate.SampleResult.PASS;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * The window's semantics (Argo Rollouts' limits), dry runs and approvals, with checks that answer
 * from a script and a pause that records instead of waiting.
 */
public class GateEvaluatorTest {
    /** What happened, in order: samples taken, pauses, approvals asked. */
    private final List<String> events = new ArrayList<>();

    private final List<Duration> pauses = new ArrayList<>();
    private final List<ApprovalRequest> asked = new ArrayList<>();
    private final GateContext context = GateContext.of(
                    EnvironmentName.of("staging"), ReleaseId.of("r2"), Clock.systemUTC())
            .withPause(delay -> {
                pauses.add(delay);
                events.add("pause " + delay.toSeconds() + "s");
            });

    private static final GateWindow TEN_SAMPLES = GateWindow.of(10, Duration.ofSeconds(10));

    // ---- failure limit ---------------------------------------------------------------------------

    @Test
    public void failuresUpToTheFailureLimitAreToleratedAndSaidSo() throws Exception {
        Scripted errors = scripted("errors", FAIL, PASS, FAIL, PASS, PASS, PASS, PASS, PASS, PASS, PASS);

        GateVerdict verdict = evaluate(gate(TEN_SAMPLES.withFailureLimit(2), errors));

        assertThat(verdict.verdict()).isEqualTo(Verdict.PASS);
        assertThat(verdict.reason())
                .isEqualTo("error rate 1% <= 5% in 8 of 10 samples;"
                        + " tolerated 2 failures (limit 2, last: error rate 10% > 5%)");
        assertThat(errors.taken).isEqualTo(10);
        assertThat(verdict.checks()).singleElement().satisfies(c -> {
            assertThat(c.samples()).isEqualTo(10);
            assertThat(c.measurements()).hasSize(10);
        });
    }

    @Test
    public void oneFailureBeyondTheLimitFailsNamingHowManySamplesFailedAndTheLimit() throws Exception {
        Scripted errors = scripted("errors", PASS, PASS, FAIL, PASS, PASS, FAIL, PASS, PASS, PASS, FAIL);

        GateVerdict verdict = evaluate(gate(TEN_SAMPLES.withFailureLimit(2), errors));

        assertThat(verdict.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(verdict.reason()).isEqualTo("error rate 10% > 5% in 3 of 10 samples (limit 2)");
        assertThat(verdict.describe()).isEqualTo("smoke FAIL: error rate 10% > 5% in 3 of 10 samples (limit 2)");
    }

    @Test
    public void samplingStopsAsSoonAsAnEnforcedCheckHasFailed() throws Exception {
        Scripted errors = scripted("errors", PASS, FAIL, FAIL, PASS, PASS, PASS, PASS, PASS, PASS, PASS);
        Scripted latency = scripted("latency", PASS, PASS, PASS, PASS, PASS, PASS, PASS, PASS, PASS, PASS);

        GateVerdict verdict = evaluate(gate(TEN_SAMPLES.withFailureLimit(1), errors, latency));

        assertThat(verdict.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(verdict.reason()).isEqualTo("errors: error rate 10% > 5% in 2 of 3 samples (limit 1)");
        assertThat(errors.taken).isEqualTo(3);
        assertThat(latency.taken).isEqualTo(3);
        assertThat(pauses).hasSize(2);
        assertThat(verdict.checks())
                .filteredOn(c -> c.check().equals("latency"))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.verdict()).isEqualTo(Verdict.PASS);
                    assertThat(c.reason())
                            .startsWith("stopped after 3 samples: the gate was decided by the other checks");
                });
    }

    @Test
    public void aCheckThatThrowsHasMeasuredNothingAndCountsAsAnError() throws Exception {
        Check broken = new Check() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public String kind() {
                return "test";
            }

            @Override
            public boolean dryRun() {
                return false;
            }

            @Override
            public Sample measure(int sample, GateContext context) {
                throw new IllegalStateException("metrics endpoint moved");
            }
        };

        GateVerdict verdict = evaluate(gate(GateWindow.of(1, Duration.ofSeconds(1)), broken));

        assertThat(verdict.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(verdict.reason()).contains("no sample passed in 1 sample", "metrics endpoint moved");
        assertThat(verdict.checks().get(0).measurements()).singleElement().satisfies(m -> assertThat(m.result())
                .isEqualTo(ERROR));
    }

    // ---- inconclusive and error limits -----------------------------------------------------------

    @Test
    public void inconclusiveSamplesBeyondTheInconclusiveLimitMakeTheCheckInconclusive() throws Exception {
        Scripted errors = scripted("errors", INCONCLUSIVE, PASS, INCONCLUSIVE, PASS, PASS);

        GateVerdict verdict =
                evaluate(gate(GateWindow.of(5, Duration.ofSeconds(10)).withInconclusiveLimit(1), errors));

        assertThat(verdict.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(verdict.reason()).isEqualTo("no data in 2 of 3 samples (limit 1)");
        assertThat(errors.taken).isEqualTo(3);
    }

    @Test
    public void inconclusiveSamplesWithinTheLimitAreTolerated() throws Exception {
        Scripted errors = scripted("errors", INCONCLUSIVE, PASS, PASS);

        GateVerdict verdict =
                evaluate(gate(GateWindow.of(3, Duration.ofSeconds(10)).withInconclusiveLimit(1), errors));

        assertThat(verdict.verdict()).isEqualTo(Verdict.PASS);
        assertThat(verdict.reason()).endsWith("tolerated 1 inconclusive (limit 1)");
    }

    @Test
    public void fourMeasurementErrorsInARowAreToleratedByDefault() throws Exception {
        Scripted errors = scripted("errors", ERROR, ERROR, ERROR, ERROR, PASS, PASS, PASS, PASS, PASS, PASS);

        GateVerdict verdict = evaluate(gate(TEN_SAMPLES, errors));

        assertThat(verdict.verdict()).isEqualTo(Verdict.PASS);
        assertThat(verdict.reason()).endsWith("tolerated 4 measurement errors");
    }

    @Test
    public void theFifthMeasurementErrorInARowMakesTheCheckInconclusive() throws Exception {
        Scripted errors = scripted("errors", ERROR, ERROR, ERROR, ERROR, ERROR, PASS, PASS, PASS, PASS, PASS);

        GateVerdict verdict = evaluate(gate(TEN_SAMPLES, errors));

        assertThat(verdict.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(verdict.reason()).isEqualTo("could not measure in 5 samples in a row (limit 4): connection refused");
        assertThat(errors.taken).isEqualTo(5);
    }

    @Test
    public void errorsThatAreNotInARowDoNotAddUp() throws Exception {
        Scripted errors = scripted("errors", ERROR, ERROR, PASS, ERROR, ERROR, PASS);

        GateVerdict verdict =
                evaluate(gate(GateWindow.of(6, Duration.ofSeconds(10)).withConsecutiveErrorLimit(2), errors));

        assertThat(verdict.verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    public void aCheckWithNoPassingSampleNeverPasses() throws Exception {
        Scripted errors = scripted("errors", ERROR, INCONCLUSIVE, ERROR);

        GateVerdict verdict =
                evaluate(gate(GateWindow.of(3, Duration.ofSeconds(10)).withInconclusiveLimit(1), errors));

        assertThat(verdict.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(verdict.reason())
                .isEqualTo("no sample passed in 3 samples; last error: connection refused; last: no data");
    }

    // ---- consecutive successes -------------------------------------------------------------------

    @Test
    public void enoughSuccessesInARowPassEarly() throws Exception {
        Scripted health = scripted("health", FAIL, PASS, PASS, PASS, PASS, PASS, PASS, PASS, PASS, PASS);

        GateVerdict verdict = evaluate(gate(TEN_SAMPLES.withFailureLimit(1).withConsecutiveSuccessLimit(3), health));

        assertThat(verdict.verdict()).isEqualTo(Verdict.PASS);
        assertThat(verdict.reason())
                .startsWith("error rate 1% <= 5% in 3 samples in a row; tolerated 1 failure (limit 1");
        assertThat(health.taken).isEqualTo(4);
        assertThat(pauses).hasSize(3);
    }

    @Test
    public void aWindowThatEndsBeforeEnoughSuccessesInARowIsInconclusive() throws Exception {
        Scripted health = scripted("health", PASS, PASS, FAIL, PASS);

        GateVerdict verdict = evaluate(gate(
                GateWindow.of(4, Duration.ofSeconds(10)).withFailureLimit(1).withConsecutiveSuccessLimit(3), health));

        assertThat(verdict.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(verdict.reason()).startsWith("did not pass 3 samples in a row in 4 samples");
    }

    // ---- timing ----------------------------------------------------------------------------------

    @Test
    public void waitsTheInitialDelayThenTheIntervalBetweenSamplesButNotAfterTheLast() throws Exception {
        Scripted health = scripted("health", PASS, PASS, PASS);

        evaluate(gate(GateWindow.of(3, Duration.ofSeconds(10)).withInitialDelay(Duration.ofSeconds(30)), health));

        assertThat(events)
                .containsExactly(
                        "pause 30s", "health sample 1", "pause 10s", "health sample 2", "pause 10s", "health sample 3");
    }

    @Test
    public void everyCheckIsSampledInEachRoundBeforeTheGateWaits() throws Exception {
        Scripted errors = scripted("errors", PASS, PASS);
        Scripted latency = scripted("latency", PASS, PASS);

        GateVerdict verdict = evaluate(gate(GateWindow.of(2, Duration.ofSeconds(5)), errors, latency));

        assertThat(verdict.reason()).isEqualTo("all 2 checks passed");
        assertThat(events)
                .containsExactly(
                        "errors sample 1", "latency sample 1", "pause 5s", "errors sample 2", "latency sample 2");
    }

    // ---- dry run ---------------------------------------------------------------------------------

    @Test
    public void aFailingDryRunCheckIsRecordedButLeavesTheGatePassingAndTheReasonSaysSo() throws Exception {
        Scripted errors = scripted("errors", PASS, PASS, PASS);
        Scripted latency = scripted("latency", true, FAIL, FAIL, FAIL);

        GateVerdict verdict = evaluate(gate(GateWindow.of(3, Duration.ofSeconds(10)), errors, latency));

        assertThat(verdict.verdict()).isEqualTo(Verdict.PASS);
        assertThat(verdict.reason())
                .startsWith("errors: error rate 1% <= 5% in all 3 samples")
                .contains("latency (dry run, not enforced) FAIL: error rate 10% > 5% in 1 of 1 sample (limit 0)");
        assertThat(errors.taken).isEqualTo(3);
        assertThat(verdict.checks())
                .filteredOn(c -> c.check().equals("latency"))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.dryRun()).isTrue();
                    assertThat(c.verdict()).isEqualTo(Verdict.FAIL);
                    assertThat(c.describe()).startsWith("latency (test, dry run) FAIL");
                });
    }

    @Test
    public void aGateOfDryRunChecksOnlyNeverFailsButSaysWhatWouldHave() throws Exception {
        Scripted latency = scripted("latency", true, FAIL);

        GateVerdict verdict = evaluate(gate(GateWindow.of(1, Duration.ofSeconds(10)), latency));

        assertThat(verdict.verdict()).isEqualTo(Verdict.PASS);
        assertThat(verdict.reason())
                .startsWith("every check is a dry run: nothing was enforced")
                .contains("latency (dry run, not enforced) FAIL");
    }

    @Test
    public void windowEndingInMeasurementErrorsIsInconclusiveEvenAfterEarlierPasses() throws Exception {
        GateVerdict verdict = evaluate(
                gate(GateWindow.of(5, Duration.ofSeconds(10)), scripted("errors", PASS, ERROR, ERROR, ERROR, ERROR)));

        assertThat(verdict.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(verdict.reason()).contains("the last 4 samples could not be measured");
    }

    // ---- approval --------------------------------------------------------------------------------

    @Test
    public void approvalIsAskedOnceAfterTheWindowWithTheEvidence() throws Exception {
        Scripted errors = scripted("errors", PASS, PASS);
        ApprovalCheck approval = approval(List.of("alice"), Verdict.FAIL);

        GateVerdict verdict = evaluate(
                gate(GateWindow.of(2, Duration.ofSeconds(10)), errors, approval),
                answering(ApprovalDecision.approved("alice", "graphs look fine")));

        assertThat(events).containsExactly("errors sample 1", "pause 10s", "errors sample 2", "asked sign-off");
        assertThat(asked).singleElement().satisfies(request -> {
            assertThat(request.gate()).isEqualTo("smoke");
            assertThat(request.release()).isEqualTo(ReleaseId.of("r2"));
            assertThat(request.question()).isEqualTo("Keep r2 live in staging?");
            assertThat(request.approvers()).containsExactly("alice");
            assertThat(request.evidence()).singleElement().satisfies(e -> {
                assertThat(e.check()).isEqualTo("errors");
                assertThat(e.verdict()).isEqualTo(Verdict.PASS);
                assertThat(e.measurements()).hasSize(2);
            });
        });
        assertThat(verdict.verdict()).isEqualTo(Verdict.PASS);
        assertThat(verdict.checks())
                .filteredOn(c -> c.check().equals("sign-off"))
                .singleElement()
                .satisfies(c -> assertThat(c.reason()).isEqualTo("approved by alice (graphs look fine)"));
    }

    @Test
    public void rejectionFailsTheGate() throws Exception {
        GateVerdict verdict = evaluate(
                gate(GateWindow.DEFAULT, scripted("errors", PASS), approval(List.of(), Verdict.FAIL)),
                answering(ApprovalDecision.rejected("bob", "conversion dropped")));

        assertThat(verdict.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(verdict.reason()).isEqualTo("sign-off: rejected by bob (conversion dropped)");
    }

    @Test
    public void approvalIsNotAskedWhenTheGateHasAlreadyFailed() throws Exception {
        GateVerdict verdict = evaluate(
                gate(GateWindow.DEFAULT, scripted("errors", FAIL), approval(List.of(), Verdict.FAIL)),
                answering(ApprovalDecision.approved("alice", null)));

        assertThat(asked).isEmpty();
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(verdict.checks())
                .filteredOn(c -> c.check().equals("sign-off"))
                .singleElement()
                .satisfies(c -> assertThat(c.reason()).isEqualTo("not asked: the gate had already failed"));
    }

    @Test
    public void dryRunApprovalIsNotAskedEitherOnceTheGateHasFailed() throws Exception {
        ApprovalCheck dryRun = new ApprovalCheck("sign-off", null, List.of(), null, Verdict.FAIL, true);

        GateVerdict verdict = evaluate(
                gate(GateWindow.DEFAULT, scripted("errors", FAIL), dryRun),
                answering(ApprovalDecision.approved("alice", null)));

        assertThat(asked).isEmpty();
        assertThat(verdict.verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    public void anAnswerFromSomeoneNotAllowedCountsAsNoAnswer() throws Exception {
        GateVerdict verdict = evaluate(
                gate(GateWindow.DEFAULT, scripted("errors", PASS), approval(List.of("alice"), Verdict.FAIL)),
                answering(ApprovalDecision.approved("mallory", null)));

        assertThat(verdict.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(verdict.reason())
                .isEqualTo("sign-off: approved by mallory, who is not an allowed approver (alice):"
                        + " counted as no answer");
    }

    @Test
    public void anAnswerAsAListedGroupPassesAndTheRecordNamesThePersonAndTheGroup() throws Exception {
        GateVerdict verdict = evaluate(
                gate(GateWindow.DEFAULT, scripted("errors", PASS), approval(List.of("release-managers"), Verdict.FAIL)),
                answering(ApprovalDecision.approved("carol", "release-managers", "dashboards green")));

        assertThat(verdict.verdict()).isEqualTo(Verdict.PASS);
        assertThat(verdict.checks())
                .filteredOn(c -> c.check().equals("sign-off"))
                .singleElement()
                .satisfies(c ->
                        assertThat(c.reason()).isEqualTo("approved by carol (as release-managers) (dashboards green)"));
    }

    @Test
    public void anAnswerAsAGroupThatIsNotListedCountsAsNoAnswer() throws Exception {
        GateVerdict verdict = evaluate(
                gate(GateWindow.DEFAULT, scripted("errors", PASS), approval(List.of("alice"), Verdict.FAIL)),
                answering(ApprovalDecision.rejected("mallory", "developers", null)));

        assertThat(verdict.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(verdict.reason())
                .isEqualTo("sign-off: rejected by mallory (as developers), who is not an allowed approver (alice):"
                        + " counted as no answer");
    }

    @Test
    public void noAnswerCountsAsTheApprovalSays() throws Exception {
        ApprovalDecision silence = ApprovalDecision.noAnswer("timed out after 15 min");

        GateVerdict failing = evaluate(gate(GateWindow.DEFAULT, approval(List.of(), Verdict.FAIL)), answering(silence));
        GateVerdict passing = evaluate(gate(GateWindow.DEFAULT, approval(List.of(), Verdict.PASS)), answering(silence));
        GateVerdict unsure =
                evaluate(gate(GateWindow.DEFAULT, approval(List.of(), Verdict.INCONCLUSIVE)), answering(silence));

        assertThat(failing.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(failing.reason()).isEqualTo("no answer (timed out after 15 min): counted as FAIL");
        assertThat(passing.verdict()).isEqualTo(Verdict.PASS);
        assertThat(unsure.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    // ---- gate policy on an inconclusive verdict --------------------------------------------------

    @Test
    public void policyFailTurnsAnInconclusiveGateIntoAFailure() throws Exception {
        GateVerdict acted = new GatePolicy(InconclusiveAction.FAIL, null, null, false).actOn(inconclusive(), context);

        assertThat(acted.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(acted.reason())
                .isEqualTo("no data in 1 of 1 sample (limit 0);"
                        + " inconclusive, which counts as a failure (onInconclusive: fail)");
        assertThat(acted.checks()).hasSize(1);
    }

    @Test
    public void policyPassAcceptsAnInconclusiveGate() throws Exception {
        GateVerdict acted = new GatePolicy(InconclusiveAction.PASS, null, null, false).actOn(inconclusive(), context);

        assertThat(acted.verdict()).isEqualTo(Verdict.PASS);
        assertThat(acted.reason()).endsWith("inconclusive, accepted as the gate policy says (onInconclusive: pass)");
    }

    @Test
    public void policyAskPutsTheInconclusiveEvidenceToAnAllowedApprover() throws Exception {
        GatePolicy policy = new GatePolicy(InconclusiveAction.ASK, List.of("alice"), Duration.ofMinutes(5), false);

        GateVerdict acted = policy.actOn(
                inconclusive(), context.withApprover(record(ApprovalDecision.approved("alice", "known gap"))));

        assertThat(acted.verdict()).isEqualTo(Verdict.PASS);
        assertThat(acted.reason()).endsWith("inconclusive, then approved by alice (known gap)");
        assertThat(acted.checks()).last().satisfies(c -> {
            assertThat(c.check()).isEqualTo("inconclusive-approval");
            assertThat(c.verdict()).isEqualTo(Verdict.PASS);
        });
        assertThat(asked).singleElement().satisfies(request -> {
            assertThat(request.question()).startsWith("Gate smoke is inconclusive (no data in 1 of 1 sample");
            assertThat(request.timeout()).isEqualTo(Duration.ofMinutes(5));
            assertThat(request.evidence()).extracting(CheckVerdict::check).containsExactly("errors");
        });
    }

    @Test
    public void policyAskFailsOnRejectionNoAnswerOrAnAnswerFromSomeoneNotAllowed() throws Exception {
        GatePolicy policy = new GatePolicy(InconclusiveAction.ASK, List.of("alice"), null, false);

        for (ApprovalDecision decision : List.of(
                ApprovalDecision.rejected("alice", null),
                ApprovalDecision.noAnswer("timed out"),
                ApprovalDecision.approved("mallory", null))) {
            GateVerdict acted = policy.actOn(inconclusive(), context.withApprover(record(decision)));

            assertThat(acted.verdict()).as(decision.toString()).isEqualTo(Verdict.FAIL);
        }
    }

    @Test
    public void policyLeavesPassAndFailAsTheyAre() throws Exception {
        GatePolicy policy = new GatePolicy(InconclusiveAction.FAIL, null, null, false);
        GateVerdict passed = evaluate(gate(GateWindow.DEFAULT, scripted("errors", PASS)));
        GateVerdict failed = evaluate(gate(GateWindow.DEFAULT, scripted("errors", FAIL)));

        assertThat(policy.actOn(passed, context)).isEqualTo(passed);
        assertThat(policy.actOn(failed, context)).isEqualTo(failed);
        assertThat(asked).isEmpty();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private GateVerdict evaluate(Gate gate) throws InterruptedException {
        return GateEvaluator.evaluate(gate, context);
    }

    private GateVerdict evaluate(Gate gate, Approver approver) throws InterruptedException {
        return GateEvaluator.evaluate(gate, context.withApprover(approver));
    }

    private GateVerdict inconclusive() throws InterruptedException {
        GateVerdict verdict = evaluate(gate(GateWindow.DEFAULT, scripted("errors", INCONCLUSIVE)));
        assertThat(verdict.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        return verdict;
    }

    private static Gate gate(GateWindow window, Check... checks) {
        return new Gate("smoke", List.of(checks), window);
    }

    private static ApprovalCheck approval(List<String> approvers, Verdict onNoAnswer) {
        return new ApprovalCheck("sign-off", null, approvers, null, onNoAnswer, false);
    }

    /** An approver that notes the request and gives {@code decision} at once. */
    private Approver answering(ApprovalDecision decision) {
        return request -> {
            asked.add(request);
            events.add("asked " + request.check());
            return decision;
        };
    }

    private Approver record(ApprovalDecision decision) {
        return answering(decision);
    }

    private Scripted scripted(String name, SampleResult... results) {
        return new Scripted(name, false, List.of(results));
    }

    private Scripted scripted(String name, boolean dryRun, SampleResult... results) {
        return new Scripted(name, dryRun, List.of(results));
    }

    /** A check whose samples come out as scripted, one per call, with an error rate to match. */
    private final class Scripted implements Check {
        private final String name;
        private final boolean dryRun;
        private final List<SampleResult> script;
        int taken;

        Scripted(String name, boolean dryRun, List<SampleResult> script) {
            this.name = name;
            this.dryRun = dryRun;
            this.script = script;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String kind() {
            return "test";
        }

        @Override
        public boolean dryRun() {
            return dryRun;
        }

        @Override
        public Sample measure(int sample, GateContext context) {
            SampleResult result = script.get(taken++);
            events.add(name + " sample " + sample);
            String observed =
                    switch (result) {
                        case PASS -> "error rate 1% <= 5%";
                        case FAIL -> "error rate 10% > 5%";
                        case INCONCLUSIVE -> "no data";
                        case ERROR -> "connection refused";
                    };
            return new Sample(
                    result,
                    observed,
                    List.of(new Measurement(
                            sample, context.clock().instant(), "GET /health", observed, "<= 5%", result)));
        }
    }
}
