package io.jenkins.plugins.deployrollback.engine.gate;

import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;
import io.jenkins.plugins.deployrollback.engine.support.ShellCommand;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A command whose exit status decides: 0 passes, anything else fails, and so does running longer
 * than {@code timeout} (it is stopped with everything it started). It runs with {@code sh -c} on the
 * machine running the engine (in the context's working folder), or on every target in the live release's folder (where every target
 * must pass). It gets the gate's variables ({@code DEPLOY_ENVIRONMENT}, {@code DEPLOY_RELEASE}, …).
 * A command that cannot be started, or a target that cannot be reached, is a measurement error.
 */
public record CommandCheck(String name, String command, Where where, Duration timeout, boolean dryRun)
        implements Check {
    /** Long enough for a smoke test, short enough to notice a hang. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(1);

    /** Where the command runs. */
    public enum Where {
        /** On the machine running the engine (the Jenkins agent, the CLI's machine). */
        ENGINE,
        /** On every target, in the folder of the live release. */
        TARGETS
    }

    public CommandCheck {
        Gate.requireName("Command check", name);
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException(
                    "Command check " + name + " has no command: give the shell command to run");
        }
        if (command.indexOf('\0') >= 0 || command.length() > 8192) {
            throw new IllegalArgumentException(
                    "Command check " + name + " has an invalid command: at most 8192 characters and no NUL");
        }
        where = where == null ? Where.ENGINE : where;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("Command check " + name + " has timeout " + Text.duration(timeout)
                    + ": use a duration between 1 ms and 24 h, such as 30s or 5m");
        }
    }

    @Override
    public String kind() {
        return "command";
    }

    @Override
    public Sample measure(int sample, GateContext context) throws InterruptedException {
        return where == Where.ENGINE ? onEngine(sample, context) : onTargets(sample, context);
    }

    private Sample onEngine(int sample, GateContext context) throws InterruptedException {
        String subject = "sh -c " + Text.quote(command);
        ShellCommand.Result result;
        try {
            result = ShellCommand.run(
                    command,
                    context.workingFolder().toFile(),
                    context.variables(),
                    context.secrets(),
                    timeout,
                    line -> context.progress().output(name, line),
                    started -> {},
                    () -> false);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted while running " + subject);
            }
            return error(sample, context, subject, "could not run: " + e.getMessage());
        }
        boolean passed = !result.timedOut() && result.exitStatus() == 0;
        String observed = ending(result.timedOut(), result.exitStatus(), result.duration(), result.lastOutput());
        Measurement m = new Measurement(
                sample,
                context.clock().instant(),
                subject,
                observed,
                "exit 0",
                passed ? SampleResult.PASS : SampleResult.FAIL);
        return new Sample(m.result(), passed ? "exit 0" : observed, List.of(m));
    }

    private Sample onTargets(int sample, GateContext context) throws InterruptedException {
        List<HookRun> runs;
        try {
            runs = context.targets().run(new Hook(name, HookPhase.AFTER_SWITCH, RunOn.BOTH, command, timeout));
        } catch (java.io.InterruptedIOException e) {
            throw new InterruptedException(e.getMessage());
        } catch (io.jenkins.plugins.deployrollback.engine.targets.LockLostException e) {
            // Not a measurement: the operation lost its lock and stops at once.
            throw new java.io.UncheckedIOException(e);
        } catch (IOException e) {
            return error(sample, context, "sh -c " + Text.quote(command) + " on the targets", e.getMessage());
        }
        if (runs.isEmpty()) {
            return error(
                    sample,
                    context,
                    "sh -c " + Text.quote(command) + " on the targets",
                    "no target ran the command, so nothing was measured");
        }
        List<Measurement> measurements = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (HookRun run : runs) {
            boolean passed = run.succeeded();
            String observed = ending(run.timedOut(), run.exitStatus(), run.duration(), run.lastOutput());
            measurements.add(new Measurement(
                    sample,
                    context.clock().instant(),
                    "sh -c " + Text.quote(command) + " on " + run.target(),
                    observed,
                    "exit 0",
                    passed ? SampleResult.PASS : SampleResult.FAIL));
            if (!passed) {
                failed.add(run.target() + ": " + observed);
            }
        }
        if (failed.isEmpty()) {
            return new Sample(
                    SampleResult.PASS, "exit 0 on " + runs.size() + " of " + runs.size() + " targets", measurements);
        }
        return new Sample(SampleResult.FAIL, String.join("; ", failed), measurements);
    }

    private static String ending(boolean timedOut, int exitStatus, Duration took, List<String> lastOutput) {
        String ending = timedOut
                ? "timed out after " + Text.duration(took) + " and was stopped"
                : "exit " + exitStatus + " in " + Text.duration(took);
        if ((timedOut || exitStatus != 0) && !lastOutput.isEmpty()) {
            ending += " (last output: " + Text.quote(lastOutput.get(lastOutput.size() - 1)) + ")";
        }
        return ending;
    }

    private Sample error(int sample, GateContext context, String subject, String why) {
        String observed = why == null ? "could not run" : why;
        return new Sample(
                SampleResult.ERROR,
                observed,
                List.of(new Measurement(
                        sample, context.clock().instant(), subject, observed, "exit 0", SampleResult.ERROR)));
    }
}
