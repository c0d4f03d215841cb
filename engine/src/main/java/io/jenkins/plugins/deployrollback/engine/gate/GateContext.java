package io.jenkins.plugins.deployrollback.engine.gate;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.Secrets;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a check may use while it samples: which release it judges and the one before, when the gate
 * started (a canary check's baseline can be the same length of time just before), the clock, where
 * progress goes, how to run a command on every target, whom to ask for an approval, and how to wait.
 *
 * @param previous the release live before, or null
 * @param variables what a command check gets in its environment ({@code DEPLOY_ENVIRONMENT}, {@code DEPLOY_RELEASE}, …)
 * @param workingFolder where a command check on the engine's machine runs (a Jenkins workspace);
 *     null: the engine process's working folder
 * @param sides which targets serve the release judged and which still serve the one before, with
 *     their hosts: during a rollout in steps, a canary check compares the two; null: every target
 *     serves the release judged
 * @param secrets what a command check on the engine's machine must not get in its environment, and
 *     what is masked in its output
 */
public record GateContext(
        EnvironmentName environment,
        ReleaseId release,
        ReleaseId previous,
        Instant startedAt,
        Clock clock,
        ProgressListener progress,
        TargetCommands targets,
        Approver approver,
        Pause pause,
        Map<String, String> variables,
        Path workingFolder,
        TargetSides sides,
        Secrets secrets) {

    /** Runs a command on every target of the environment, in the live release's folder. */
    @FunctionalInterface
    public interface TargetCommands {
        /** No target can be reached from here. */
        TargetCommands NONE = hook -> {
            throw new IOException("this gate runs without access to the targets, so command " + hook.name()
                    + " cannot run on them: run it on the engine's machine instead");
        };

        /** Runs {@code command} on every target; one run per target, in target order. */
        List<HookRun> run(Hook command) throws IOException, InterruptedException;
    }

    /** Waits between samples. */
    @FunctionalInterface
    public interface Pause {
        Pause SLEEP = delay -> Thread.sleep(delay.toMillis());

        void pause(Duration delay) throws InterruptedException;
    }

    public GateContext {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(clock, "clock");
        progress = progress == null ? ProgressListener.SILENT : progress;
        targets = targets == null ? TargetCommands.NONE : targets;
        approver = approver == null ? Approver.NONE : approver;
        pause = pause == null ? Pause.SLEEP : pause;
        variables = variables == null ? Map.of() : Map.copyOf(variables);
        secrets = secrets == null ? Secrets.NONE : secrets;
        workingFolder = workingFolder == null
                ? Path.of(System.getProperty("user.dir")).toAbsolutePath()
                : workingFolder.toAbsolutePath();
    }

    /** A context that judges {@code release} from now on, with no targets and no one to ask. */
    public static GateContext of(EnvironmentName environment, ReleaseId release, Clock clock) {
        return new GateContext(
                environment, release, null, clock.instant(), clock, null, null, null, null, null, null, null, null);
    }

    /** A context outside a rollout in steps: every target serves {@code release}. */
    public GateContext(
            EnvironmentName environment,
            ReleaseId release,
            ReleaseId previous,
            Instant startedAt,
            Clock clock,
            ProgressListener progress,
            TargetCommands targets,
            Approver approver,
            Pause pause,
            Map<String, String> variables,
            Path workingFolder) {
        this(
                environment,
                release,
                previous,
                startedAt,
                clock,
                progress,
                targets,
                approver,
                pause,
                variables,
                workingFolder,
                null,
                Secrets.NONE);
    }

    /** This context, during a rollout in steps where {@code sides} says which targets switched. */
    public GateContext withSides(TargetSides sides) {
        return new GateContext(
                environment,
                release,
                previous,
                startedAt,
                clock,
                progress,
                targets,
                approver,
                pause,
                variables,
                workingFolder,
                sides,
                secrets);
    }

    public GateContext withApprover(Approver approver) {
        return new GateContext(
                environment,
                release,
                previous,
                startedAt,
                clock,
                progress,
                targets,
                approver,
                pause,
                variables,
                workingFolder,
                sides,
                secrets);
    }

    public GateContext withPause(Pause pause) {
        return new GateContext(
                environment,
                release,
                previous,
                startedAt,
                clock,
                progress,
                targets,
                approver,
                pause,
                variables,
                workingFolder,
                sides,
                secrets);
    }

    public GateContext withProgress(ProgressListener progress) {
        return new GateContext(
                environment,
                release,
                previous,
                startedAt,
                clock,
                progress,
                targets,
                approver,
                pause,
                variables,
                workingFolder,
                sides,
                secrets);
    }

    public GateContext withTargets(TargetCommands targets) {
        return new GateContext(
                environment,
                release,
                previous,
                startedAt,
                clock,
                progress,
                targets,
                approver,
                pause,
                variables,
                workingFolder,
                sides,
                secrets);
    }

    /** This context, keeping {@code secrets} from command checks and out of their output. */
    public GateContext withSecrets(Secrets secrets) {
        return new GateContext(
                environment,
                release,
                previous,
                startedAt,
                clock,
                progress,
                targets,
                approver,
                pause,
                variables,
                workingFolder,
                sides,
                secrets);
    }

    public GateContext startingAt(Instant startedAt) {
        return new GateContext(
                environment,
                release,
                previous,
                startedAt,
                clock,
                progress,
                targets,
                approver,
                pause,
                variables,
                workingFolder,
                sides,
                secrets);
    }
}
