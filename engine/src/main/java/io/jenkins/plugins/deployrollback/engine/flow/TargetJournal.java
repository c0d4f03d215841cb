package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.history.TargetReport;
import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one attempt did on one target so far, and what is live there as far as it knows: written by
 * the thread working on the target (and by the target itself when it retries a step), read into the
 * target's {@link TargetReport} at the end.
 */
final class TargetJournal {
    private final String target;
    private final List<String> steps = new ArrayList<>();
    /** What the target served when the operation began. */
    private ReleaseId before;

    private ReleaseId live;
    private String error;
    /** Attempts in all when the last retry the target announced was its last one; 0 otherwise. */
    private int attemptsWhenLastRetried;

    TargetJournal(String target) {
        this.target = target;
    }

    String target() {
        return target;
    }

    synchronized void found(ReleaseId current) {
        before = current;
        live = current;
    }

    synchronized ReleaseId before() {
        return before;
    }

    synchronized ReleaseId live() {
        return live;
    }

    synchronized void step(String step) {
        steps.add(step);
    }

    synchronized void switched(ReleaseId from, ReleaseId to) {
        steps.add("switched " + (from == null ? "(none)" : from) + " -> " + to);
        live = to;
    }

    /** Notes an error; a later one (a switch back that failed too) is added to the first. */
    synchronized void failed(String what) {
        error = error == null ? what : error + "; then " + what;
    }

    /** A step begins on this target: retries announced from now on belong to it. */
    synchronized void beginStep() {
        attemptsWhenLastRetried = 0;
    }

    /**
     * {@code  (after 3 attempts)} when the step that just failed had used its last retry, so that
     * the error says the failure outlasted the retries; empty otherwise.
     */
    synchronized String attempts() {
        return attemptsWhenLastRetried == 0 ? "" : " (after " + attemptsWhenLastRetried + " attempts)";
    }

    synchronized void retried(String step, int retry, int attempts, String cause) {
        steps.add("retry " + retry + " of " + (attempts - 1) + " of " + step + ": " + cause);
        attemptsWhenLastRetried = retry == attempts - 1 ? attempts : 0;
    }

    synchronized TargetReport report() {
        return new TargetReport(target, steps, live, error);
    }

    /**
     * {@code progress} as the target is given it: the retries it announces are also noted here, so
     * that they go into the history record with the rest of what happened on the target.
     */
    ProgressListener listening(ProgressListener progress) {
        return new ProgressListener() {
            @Override
            public void stage(String stage, String message) {
                progress.stage(stage, message);
            }

            @Override
            public void info(String message) {
                progress.info(message);
            }

            @Override
            public void warn(String message) {
                progress.warn(message);
            }

            @Override
            public void output(String source, String line) {
                progress.output(source, line);
            }

            @Override
            public void retrying(String target, String step, int retry, int attempts, String cause, Duration delay) {
                retried(step, retry, attempts, cause);
                progress.retrying(target, step, retry, attempts, cause, delay);
            }
        };
    }
}
