package io.jenkins.plugins.deployrollback.engine.gate;

import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a {@link Gate} over its {@link GateWindow}: waits the initial delay, samples every
 * undecided check, applies the window's limits to each after every sample, stops as soon as an
 * enforced check has failed (a failing release is rolled back without waiting for the window to end)
 * or every enforced check is decided, then asks the approval checks with the evidence. The gate
 * fails when an enforced check failed, is inconclusive when one was, and passes otherwise; dry-run
 * checks are recorded but never count.
 */
public final class GateEvaluator {
    private GateEvaluator() {}

    /**
     * Evaluates {@code gate} now.
     *
     * @throws InterruptedException when the thread is interrupted (the operation was aborted)
     */
    public static GateVerdict evaluate(Gate gate, GateContext context) throws InterruptedException {
        GateWindow window = gate.window();
        Map<Check, Tally> sampled = new LinkedHashMap<>();
        List<ApprovalCheck> approvals = new ArrayList<>();
        for (Check check : gate.checks()) {
            if (check instanceof ApprovalCheck approval) {
                approvals.add(approval);
            } else {
                sampled.put(check, new Tally(check, window));
            }
        }
        if (!sampled.isEmpty()) {
            context.progress()
                    .info(gate.name() + ": " + describeWindow(window) + " of "
                            + String.join(
                                    ", ",
                                    sampled.keySet().stream().map(Check::name).toList()));
            if (!window.initialDelay().isZero()) {
                context.pause().pause(window.initialDelay());
            }
        }
        for (int sample = 1; sample <= window.count() && !sampled.isEmpty(); sample++) {
            for (Tally tally : sampled.values()) {
                if (!tally.decided()) {
                    Sample taken = take(tally.check, sample, context);
                    tally.add(taken);
                    context.progress()
                            .info(gate.name() + " sample " + sample + "/" + window.count() + ": "
                                    + tally.check.name() + (tally.check.dryRun() ? " (dry run)" : "") + " "
                                    + taken.result()
                                    + ": " + taken.summary());
                }
            }
            if (enforcedFailed(sampled) || allEnforcedDecided(sampled)) {
                break;
            }
            if (sample < window.count()) {
                context.pause().pause(window.interval());
            }
        }
        List<CheckVerdict> verdicts = new ArrayList<>();
        sampled.values().forEach(t -> verdicts.add(t.verdict()));
        for (ApprovalCheck approval : approvals) {
            // A failed gate rolls back now: nobody is kept waiting for, not even for a dry run.
            if (decide(verdicts).verdict() == Verdict.FAIL) {
                verdicts.add(new CheckVerdict(
                        approval.name(),
                        approval.kind(),
                        Verdict.FAIL,
                        "not asked: the gate had already failed",
                        approval.dryRun(),
                        0,
                        List.of()));
                continue;
            }
            Sample answer = approval.ask(1, context, gate.name(), List.copyOf(verdicts));
            verdicts.add(new CheckVerdict(
                    approval.name(),
                    approval.kind(),
                    verdictOf(answer.result()),
                    answer.summary(),
                    approval.dryRun(),
                    1,
                    answer.measurements()));
        }
        Decision decision = decide(verdicts);
        return new GateVerdict(gate.name(), decision.verdict(), decision.reason(), verdicts);
    }

    /** One sample of one check; a check that throws has measured nothing: an error. */
    private static Sample take(Check check, int sample, GateContext context) throws InterruptedException {
        try {
            return check.measure(sample, context);
        } catch (java.io.UncheckedIOException e) {
            if (e.getCause() instanceof io.jenkins.plugins.deployrollback.engine.targets.LockLostException) {
                // Not a measurement: the operation lost its lock and must stop at once.
                throw e;
            }
            String why = e.getCause().getMessage() == null
                    ? e.getClass().getSimpleName()
                    : e.getCause().getMessage();
            return new Sample(
                    SampleResult.ERROR,
                    why,
                    List.of(new Measurement(
                            sample, context.clock().instant(), check.name(), "error: " + why, "", SampleResult.ERROR)));
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Sample(
                    SampleResult.ERROR,
                    why,
                    List.of(new Measurement(
                            sample, context.clock().instant(), check.name(), "error: " + why, "", SampleResult.ERROR)));
        }
    }

    private static boolean enforcedFailed(Map<Check, Tally> sampled) {
        return sampled.values().stream()
                .anyMatch(t -> !t.check.dryRun() && t.decided() && t.verdict().verdict() == Verdict.FAIL);
    }

    private static boolean allEnforcedDecided(Map<Check, Tally> sampled) {
        List<Tally> enforced =
                sampled.values().stream().filter(t -> !t.check.dryRun()).toList();
        return enforced.isEmpty()
                ? sampled.values().stream().allMatch(Tally::decided)
                : enforced.stream().allMatch(Tally::decided);
    }

    private record Decision(Verdict verdict, String reason) {}

    /**
     * The gate's verdict from its checks': the worst enforced one, with the reasons of those that
     * decided it, and what the dry-run checks that did not pass would have said, so that a dry run is
     * visible where the verdict is read.
     */
    private static Decision decide(List<CheckVerdict> verdicts) {
        Decision enforced = decideEnforced(verdicts);
        List<String> notEnforced = verdicts.stream()
                .filter(v -> v.dryRun() && v.verdict() != Verdict.PASS)
                .map(v -> v.check() + " (dry run, not enforced) " + v.verdict() + ": " + v.reason())
                .toList();
        return notEnforced.isEmpty()
                ? enforced
                : new Decision(enforced.verdict(), enforced.reason() + "; " + String.join("; ", notEnforced));
    }

    private static Decision decideEnforced(List<CheckVerdict> verdicts) {
        List<CheckVerdict> enforced = verdicts.stream().filter(v -> !v.dryRun()).toList();
        if (enforced.isEmpty()) {
            return new Decision(Verdict.PASS, "every check is a dry run: nothing was enforced");
        }
        for (Verdict worst : List.of(Verdict.FAIL, Verdict.INCONCLUSIVE)) {
            List<String> why = enforced.stream()
                    .filter(v -> v.verdict() == worst)
                    .map(v -> verdicts.size() == 1 ? v.reason() : v.check() + ": " + v.reason())
                    .toList();
            if (!why.isEmpty()) {
                return new Decision(worst, String.join("; ", why));
            }
        }
        return new Decision(
                Verdict.PASS,
                verdicts.size() == 1
                        ? enforced.get(0).reason()
                        : enforced.size() == 1
                                ? enforced.get(0).check() + ": "
                                        + enforced.get(0).reason()
                                : "all " + enforced.size() + " checks passed");
    }

    private static Verdict verdictOf(SampleResult result) {
        return switch (result) {
            case PASS -> Verdict.PASS;
            case FAIL -> Verdict.FAIL;
            case INCONCLUSIVE, ERROR -> Verdict.INCONCLUSIVE;
        };
    }

    private static String describeWindow(GateWindow window) {
        String samples = window.count() == 1
                ? "1 sample"
                : window.count() + " samples " + Text.duration(window.interval()) + " apart";
        return samples
                + (window.initialDelay().isZero() ? "" : " after " + Text.duration(window.initialDelay()))
                + " (failure limit " + window.failureLimit() + ")";
    }

    /** What the samples of one check added up to so far, judged by the window's limits after each sample. */
    private static final class Tally {
        private final Check check;
        private final GateWindow window;
        private final List<Measurement> measurements = new ArrayList<>();
        private int taken;
        private int passed;
        private int failed;
        private int inconclusive;
        private int errors;
        private int consecutiveErrors;
        private int consecutiveSuccesses;
        private String lastFailure;
        private String lastInconclusive;
        private String lastError;
        private String lastPass;
        private CheckVerdict decided;

        Tally(Check check, GateWindow window) {
            this.check = check;
            this.window = window;
        }

        boolean decided() {
            return decided != null;
        }

        void add(Sample sample) {
            taken++;
            measurements.addAll(sample.measurements());
            switch (sample.result()) {
                case PASS -> {
                    passed++;
                    consecutiveErrors = 0;
                    consecutiveSuccesses++;
                    lastPass = sample.summary();
                }
                case FAIL -> {
                    failed++;
                    consecutiveErrors = 0;
                    consecutiveSuccesses = 0;
                    lastFailure = sample.summary();
                }
                case INCONCLUSIVE -> {
                    inconclusive++;
                    consecutiveErrors = 0;
                    consecutiveSuccesses = 0;
                    lastInconclusive = sample.summary();
                }
                case ERROR -> {
                    errors++;
                    consecutiveErrors++;
                    consecutiveSuccesses = 0;
                    lastError = sample.summary();
                }
            }
            if (failed > window.failureLimit()) {
                decide(Verdict.FAIL, lastFailure + " in " + ofTaken(failed) + " (limit " + window.failureLimit() + ")");
            } else if (inconclusive > window.inconclusiveLimit()) {
                decide(
                        Verdict.INCONCLUSIVE,
                        lastInconclusive + " in " + ofTaken(inconclusive) + " (limit " + window.inconclusiveLimit()
                                + ")");
            } else if (consecutiveErrors > window.consecutiveErrorLimit()) {
                decide(
                        Verdict.INCONCLUSIVE,
                        "could not measure in " + consecutiveErrors + " samples in a row (limit "
                                + window.consecutiveErrorLimit() + "): " + lastError);
            } else if (window.consecutiveSuccessLimit() > 0
                    && consecutiveSuccesses >= window.consecutiveSuccessLimit()) {
                decide(
                        Verdict.PASS,
                        lastPass
                                + (consecutiveSuccesses == 1
                                        ? " in sample " + taken
                                        : " in " + consecutiveSuccesses + " samples in a row")
                                + tolerated());
            } else if (taken == window.count()) {
                decide(endOfWindow(), endOfWindowReason());
            }
        }

        private Verdict endOfWindow() {
            // The last samples could not be measured: what the release does now is unknown.
            if (window.consecutiveSuccessLimit() > 0 || passed == 0 || consecutiveErrors > 0) {
                return Verdict.INCONCLUSIVE;
            }
            return Verdict.PASS;
        }

        private String endOfWindowReason() {
            if (window.consecutiveSuccessLimit() > 0) {
                return "did not pass " + window.consecutiveSuccessLimit() + " samples in a row in " + taken
                        + (taken == 1 ? " sample" : " samples") + tolerated();
            }
            if (passed > 0 && consecutiveErrors > 0) {
                return "the last " + (consecutiveErrors == 1 ? "sample" : consecutiveErrors + " samples")
                        + " could not be measured, so the window ends without knowing: " + lastError + tolerated();
            }
            if (passed == 0) {
                return "no sample passed in " + taken + (taken == 1 ? " sample" : " samples")
                        + (lastError != null ? "; last error: " + lastError : "")
                        + (lastInconclusive != null ? "; last: " + lastInconclusive : "");
            }
            return lastPass
                    + (passed == taken ? (taken == 1 ? "" : " in all " + taken + " samples") : " in " + ofTaken(passed))
                    + tolerated();
        }

        /** What the window put up with on the way, if anything: {@code ; tolerated 1 failure (limit 2)}. */
        private String tolerated() {
            List<String> parts = new ArrayList<>();
            if (failed > 0) {
                parts.add(failed + (failed == 1 ? " failure" : " failures") + " (limit " + window.failureLimit()
                        + ", last: " + lastFailure + ")");
            }
            if (inconclusive > 0) {
                parts.add(inconclusive + " inconclusive (limit " + window.inconclusiveLimit() + ")");
            }
            if (errors > 0) {
                parts.add(errors + (errors == 1 ? " measurement error" : " measurement errors"));
            }
            return parts.isEmpty() ? "" : "; tolerated " + String.join(", ", parts);
        }

        private String ofTaken(int count) {
            return count + " of " + taken + (taken == 1 ? " sample" : " samples");
        }

        private void decide(Verdict verdict, String reason) {
            decided =
                    new CheckVerdict(check.name(), check.kind(), verdict, reason, check.dryRun(), taken, measurements);
        }

        CheckVerdict verdict() {
            if (decided != null) {
                return decided;
            }
            // The gate was decided before this check's window ended: judged on what was sampled.
            String reason = "stopped after " + taken + (taken == 1 ? " sample" : " samples")
                    + ": the gate was decided by the other checks";
            return new CheckVerdict(
                    check.name(),
                    check.kind(),
                    passed > 0 && failed <= window.failureLimit() ? Verdict.PASS : Verdict.INCONCLUSIVE,
                    reason + (lastPass == null ? "" : "; last: " + lastPass),
                    check.dryRun(),
                    taken,
                    measurements);
        }
    }
}
