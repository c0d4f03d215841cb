package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Done;
import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.OnFailure;
import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Results;
import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Work;
import io.jenkins.plugins.deployrollback.engine.history.TargetReport;
import io.jenkins.plugins.deployrollback.engine.hook.HookFailedException;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs the steps of one operation on its targets, keeps the journal of each target, and says for
 * people how a step went: a step that failed on several targets is one message naming every one of
 * them, the step and the error ({@code Staging r2 failed on 2 of 5 targets: web-3: connection refused
 * (after 3 attempts); web-4: …}).
 */
final class TargetSteps implements AutoCloseable {
    /** At most this many targets are named in one message; the per-target report has them all. */
    private static final int NAMED_IN_A_MESSAGE = 10;

    private final TargetWorkers workers;
    /** By name, in target order. */
    private final Map<String, TargetJournal> journals = new LinkedHashMap<>();

    TargetSteps(List<Target> targets, int concurrency, Consumer<String> warnings) {
        targets.forEach(t -> journals.put(t.name(), new TargetJournal(t.name())));
        this.workers = new TargetWorkers(concurrency, targets.size(), warnings);
    }

    TargetJournal journal(String target) {
        return journals.get(target);
    }

    Collection<TargetJournal> journals() {
        return journals.values();
    }

    /** Every target's report, in target order. */
    List<TargetReport> reports() {
        return journals.values().stream().map(TargetJournal::report).toList();
    }

    /** {@link #allOrNothing(String, List, Function, Work)} on sessions. */
    <R> Results<R> allOrNothing(String step, List<TargetSession> targets, Work<TargetSession, R> work)
            throws IOException {
        return allOrNothing(step, targets, TargetSession::target, work);
    }

    /**
     * Runs {@code work} on {@code targets} in parallel, all or nothing: once a target failed, the
     * targets not started yet are not started. Each failure is noted in its target's journal as
     * "{@code step} failed: why"; a lost lock is thrown.
     */
    <T, R> Results<R> allOrNothing(String step, List<T> targets, Function<T, String> name, Work<T, R> work)
            throws IOException {
        Results<R> results = run(targets, name, OnFailure.STOP, work);
        List<Done<R>> failed = results.failed();
        for (Done<R> done : failed) {
            journal(done.target()).failed(step + " failed: " + why(done));
        }
        for (String target : results.notStarted()) {
            journal(target).step(step + " not started: " + failed.get(0).target() + " failed first");
        }
        return results;
    }

    /** Runs {@code work} on every one of {@code targets} in parallel, whatever fails; a lost lock is thrown. */
    <R> Results<R> everyTarget(List<TargetSession> targets, Work<TargetSession, R> work) throws IOException {
        return run(targets, TargetSession::target, OnFailure.CONTINUE, work);
    }

    private <T, R> Results<R> run(List<T> targets, Function<T, String> name, OnFailure onFailure, Work<T, R> work)
            throws IOException {
        Results<R> results = workers.run(targets, name, onFailure, target -> {
            journal(name.apply(target)).beginStep();
            return work.run(target);
        });
        results.rethrowLockLostAndErrors();
        return results;
    }

    /**
     * Throws when {@code step} failed on a target. With one target in all, its own error as it is;
     * with several, one naming every target it failed on and why (see {@link #summary}).
     */
    void throwIfFailed(String step, Results<?> results) throws IOException {
        if (!results.anyFailed()) {
            return;
        }
        Throwable first = results.failed().get(0).failure();
        if (journals.size() == 1) {
            if (first instanceof IOException e) {
                throw e;
            }
            throw (RuntimeException) first;
        }
        IOException failure = new IOException(summary(step, results), first);
        results.failed().stream().skip(1).forEach(d -> failure.addSuppressed(d.failure()));
        throw failure;
    }

    /**
     * {@code Staging r2 failed on 2 of 5 targets: web-3: connection refused (after 3 attempts); web-4:
     * No space left on device. Not started after that: web-5.}
     */
    String summary(String step, Results<?> results) {
        List<? extends Done<?>> failed = results.failed();
        StringBuilder text =
                new StringBuilder(Character.toUpperCase(step.charAt(0)) + step.substring(1)).append(" failed on ");
        if (journals.size() == 1) {
            text.append(failed.get(0).target()).append(": ").append(withoutFullStop(why(failed.get(0))));
        } else {
            text.append(failed.size()).append(" of ").append(journals.size()).append(" targets: ");
            List<String> each = failed.stream()
                    .limit(NAMED_IN_A_MESSAGE)
                    .map(d -> d.target() + ": " + withoutFullStop(why(d)))
                    .toList();
            text.append(String.join("; ", each));
            if (failed.size() > NAMED_IN_A_MESSAGE) {
                text.append("; and ")
                        .append(failed.size() - NAMED_IN_A_MESSAGE)
                        .append(" more (see the per-target report)");
            }
        }
        text.append('.');
        List<String> notStarted = results.notStarted();
        if (!notStarted.isEmpty()) {
            text.append(" Not started after that: ").append(names(notStarted)).append('.');
        }
        return text.toString();
    }

    /**
     * Why a step failed on a target, for people: a hook's ending and last output, or the error's
     * message; with the number of attempts when the failure outlasted the target's retries.
     */
    String why(Done<?> done) {
        Throwable e = done.failure();
        String why;
        if (e instanceof HookFailedException hook) {
            HookRun run = hook.run();
            why = run.ending()
                    + (run.lastOutput().isEmpty() ? "" : "; last output: " + String.join(" | ", run.lastOutput()));
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return why + journal(done.target()).attempts();
    }

    private static String withoutFullStop(String text) {
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    /** {@code web-1}, {@code web-1, web-2}, or {@code web-1, web-2, … and 30 more}. */
    static String names(List<String> targets) {
        if (targets.size() <= NAMED_IN_A_MESSAGE) {
            return String.join(", ", targets);
        }
        return String.join(", ", targets.subList(0, NAMED_IN_A_MESSAGE)) + " and "
                + (targets.size() - NAMED_IN_A_MESSAGE) + " more";
    }

    /** Stops the threads. */
    @Override
    public void close() {
        workers.close();
    }

    /** The names of {@code sessions}' targets, in order. */
    static List<String> namesOf(List<TargetSession> sessions) {
        return sessions.stream().map(TargetSession::target).toList();
    }

    /** The release every target serves now, or null when they serve different ones. */
    ReleaseId agreedLive() {
        Set<ReleaseId> live = new HashSet<>();
        journals().forEach(j -> live.add(j.live()));
        return live.size() == 1 ? live.iterator().next() : null;
    }
}
