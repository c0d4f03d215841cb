package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Results;
import io.jenkins.plugins.deployrollback.engine.gate.Approver;
import io.jenkins.plugins.deployrollback.engine.gate.GateVerdict;
import io.jenkins.plugins.deployrollback.engine.gate.TargetSides;
import io.jenkins.plugins.deployrollback.engine.history.AttemptInProgress;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.History;
import io.jenkins.plugins.deployrollback.engine.history.HistoryStore;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.plan.DeploymentPlan;
import io.jenkins.plugins.deployrollback.engine.plan.PlanRefusedException;
import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactSource;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactStore;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.CrashPoint;
import io.jenkins.plugins.deployrollback.engine.support.Secrets;
import io.jenkins.plugins.deployrollback.engine.targets.LockLostException;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * One operation on one environment, from lock to unlock. {@link #run} reads like the flow:
 *
 * <pre>
 * lock → plan → stage → before-switch hooks → switch → after-switch hooks → verify
 *      → on failure: roll the switched targets back, run the rollback hooks, archive the failed release
 *      → retain → record → unlock
 * </pre>
 *
 * Every step on the targets runs on all of them in parallel, at most {@link Environment#concurrency()}
 * at a time, and the environment moves all at once: a failure on any target before the switch leaves
 * the old release serving everywhere; a failure while switching switches the targets already switched
 * back; a failure after the switch rolls every target back to the release live before (for deploys
 * and roll-forwards, when automatic rollback is on). Whatever happens, the attempt is recorded with
 * what it did on each target, and a failure names every target it happened on.
 */
final class DeploymentFlow {
    // Crash points between stages, for the crash-safety tests (see CrashPoint).
    static final String CRASH_LOCKED = "locked";
    static final String CRASH_STAGED = "staged";
    static final String CRASH_BEFORE_SWITCH_HOOKS = "before-switch-hooks";
    static final String CRASH_SWITCHED = "switched";
    /** Between two steps of a rolling or canary rollout: some targets switched, the others not yet. */
    static final String CRASH_BETWEEN_STEPS = "between-steps";

    static final String CRASH_AFTER_SWITCH_HOOKS = "after-switch-hooks";
    static final String CRASH_VERIFIED = "verified";
    static final String CRASH_ROLLED_BACK = "rolled-back";
    static final String CRASH_RETAINED = "retained";
    static final String CRASH_RECORDED = "recorded";

    private final Environment environment;
    private final Operation operation;
    private final String actor;
    private final String reason;
    private final Release requestedRelease;
    private final ArtifactSource requestedSource;
    private final HistoryStore historyStore;
    private final ArtifactStore artifacts;
    private final ProgressListener progress;
    private final Clock clock;
    /** Kept from hooks and command checks on this machine, and masked in what is recorded. */
    private final Secrets secrets;

    /** The id of this attempt's record, noted in the history before the switch. */
    private final String attemptId = UUID.randomUUID().toString();

    /** Runs each step on the targets in parallel and keeps what happened on each. */
    private final TargetSteps onTargets;

    private final HeldLocks locks;
    /** The open sessions, in target order. */
    private final List<TargetSession> sessions = new ArrayList<>();

    // Only this thread adds to these, after each step, in target order: the record reads the same
    // whichever target finished first.
    private final List<String> warnings = new ArrayList<>();
    /** Blue/green: what each slot of each target holds, and pointing the idle ones. */
    private final BlueGreenSlots slots;
    /** What stays on the targets afterwards: retention, and a failed release's archive. */
    private final Retention retention;
    /** The hooks, and the variables hooks and command checks get. */
    private final HookStage hooks;
    /** The gates, and the verdicts they gave. */
    private final Verification verification;
    /** The targets: opened, locked all or none, released and closed at the end. */
    private final TargetAccess access;
    /** Putting the release on the targets. */
    private final Staging staging;
    /** Switching targets, and switching them back. */
    private final Switching switching;
    /** Putting the release live step by step, with each step's hooks and gates. */
    private final RollOut rollOut;
    /** Returning the targets to the release before, after a failure past the switch. */
    private final AutomaticRollback rollback;
    /** The record of the attempt, appended to the history at its end. */
    private final Recording recording;

    DeploymentFlow(
            Environment environment,
            Operation operation,
            String actor,
            String reason,
            Release requestedRelease,
            ArtifactSource requestedSource,
            HistoryStore historyStore,
            ArtifactStore artifacts,
            ProgressListener progress,
            Approver approver,
            Clock clock,
            Path workingFolder,
            Secrets secrets) {
        this.environment = environment;
        this.secrets = secrets;
        this.operation = operation;
        this.actor = actor;
        this.reason = reason;
        this.requestedRelease = requestedRelease;
        this.requestedSource = requestedSource;
        this.historyStore = historyStore;
        this.artifacts = artifacts;
        this.progress = progress;
        this.clock = clock;
        this.locks = new HeldLocks(progress::warn, clock);
        this.onTargets = new TargetSteps(environment.targets(), environment.concurrency(), progress::warn);
        OperationScope scope =
                new OperationScope(environment, operation, actor, clock, progress, onTargets, locks, sessions);
        this.access = new TargetAccess(scope);
        this.slots = new BlueGreenSlots(scope);
        this.retention = new Retention(scope);
        this.hooks = new HookStage(scope, slots);
        this.staging = new Staging(scope, requestedRelease, requestedSource, artifacts);
        this.switching = new Switching(scope);
        this.verification = new Verification(scope, approver, workingFolder, secrets, hooks, warnings);
        this.rollOut = new RollOut(scope, hooks, switching, verification);
        this.rollback = new AutomaticRollback(scope, staging, slots, hooks, switching, retention, warnings);
        this.recording = new Recording(scope, historyStore, attemptId, secrets, verification, hooks, warnings);
    }

    /**
     * This flow, recording {@code evidence} (the gate verdicts that led to it) with its attempt: a
     * rollback asked for by a failed verify.
     */
    DeploymentFlow withEvidence(List<GateVerdict> evidence) {
        verification.addEvidence(evidence);
        return this;
    }

    /** Runs the operation with the plan {@code planner} makes from the history and the targets' state. */
    DeploymentResult run(BiFunction<History, List<TargetState>, DeploymentPlan> planner) throws IOException {
        Instant startedAt = clock.instant();
        try {
            access.open(secrets);
            access.lock(purpose());
            CrashPoint.reach(CRASH_LOCKED);
            List<TargetState> states = inspect();
            History history = withServedReleases(historyStore.read(environment.name()), states, historyStore);
            DeploymentPlan plan = planner.apply(history, states);
            announce(plan);
            if (plan.refused()) {
                throw new PlanRefusedException(plan);
            }
            if (plan.nothingToDo()) {
                progress.info(
                        plan.to() + " is already live on every target of " + environment.name() + ": nothing to do");
                return new DeploymentResult(
                        operation,
                        environment.name(),
                        plan.to(),
                        plan.from(),
                        plan.to(),
                        Outcome.SUCCEEDED,
                        false,
                        false,
                        history.lastKnownGood().orElse(null),
                        null,
                        List.of(),
                        plan,
                        null);
            }
            return attempt(plan, history, startedAt);
        } catch (LockLostException e) {
            throw stopped(e);
        } catch (TargetWorkers.Interrupted e) {
            throw interrupted(e);
        } finally {
            access.finish();
        }
    }

    /**
     * {@code history} with the catalog entries of releases the targets serve although no record says
     * so (an operation interrupted after its switch), so that plans can check what they would cross.
     */
    static History withServedReleases(History history, List<TargetState> states, HistoryStore store)
            throws IOException {
        Map<ReleaseId, Release> served = new HashMap<>();
        for (TargetState state : states) {
            ReleaseId current = state.current();
            if (current != null && history.release(current).isEmpty() && !served.containsKey(current)) {
                store.release(current).ifPresent(r -> served.put(r.id(), r));
            }
        }
        return served.isEmpty() ? history : history.withReleases(served);
    }

    private DeploymentResult attempt(DeploymentPlan plan, History history, Instant startedAt) throws IOException {
        Release release = plan.to().equals(requestedRelease == null ? null : requestedRelease.id())
                ? requestedRelease
                : history.release(plan.to()).orElseThrow();
        ReleaseId previous = plan.from();
        if (operation == Operation.DEPLOY) {
            // Only now that the lock is held and the plan accepted does the release enter the catalog.
            historyStore.register(release);
            artifacts.keep(release, requestedSource);
        }
        String failure = null;
        try {
            staging.stage(plan, release);
            CrashPoint.reach(CRASH_STAGED);
            if (blueGreen()) {
                slots.pointIdle(release);
            }
            hooks.run(HookPhase.BEFORE_SWITCH, operation.hookMode(), release, previous, sessions);
            CrashPoint.reach(CRASH_BEFORE_SWITCH_HOOKS);
            if (blueGreen()) {
                // Judged on the idle slot while the live one still serves: a failure switches nothing.
                verify(plan, release, previous, null);
            }
            access.ensureLocksHeld();
            historyStore.begin(new AttemptInProgress(
                    attemptId, environment.name(), operation, release.id(), previous, actor, startedAt));
            rollOut.run(plan, release, previous);
            CrashPoint.reach(CRASH_VERIFIED);
        } catch (LockLostException | TargetWorkers.Interrupted e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            failure = failureText(e);
            progress.warn("The " + operation.label() + " of " + release.id() + " failed: " + failure);
        }
        Ending ending;
        if (failure == null && !rollOut.leftBehind().isEmpty()) {
            ending = new Ending(Outcome.SUCCEEDED, release.id(), rollOut.partialCause(release, previous), false);
        } else if (failure == null) {
            ending = new Ending(Outcome.SUCCEEDED, release.id(), successCause(), false);
        } else if (!rollOut.anySwitched()) {
            archiveFailed(release, history);
            ending = failedBeforeSwitch(failure, previous);
        } else if (operation == Operation.ROLLBACK) {
            ending = new Ending(
                    Outcome.FAILED,
                    release.id(),
                    failure + " " + release.id()
                            + " is live, but its rollback did not complete: fix the cause, then run"
                            + " the same rollback again to complete it.",
                    false);
        } else {
            ending = rollback.run(failure, release, previous, history);
        }
        retain(history, release, previous, ending);
        CrashPoint.reach(CRASH_RETAINED);
        access.ensureLocksHeld();
        DeploymentRecord record = recording.append(release, previous, ending, startedAt);
        CrashPoint.reach(CRASH_RECORDED);
        History after = history.with(record, release);
        return new DeploymentResult(
                operation,
                environment.name(),
                release.id(),
                previous,
                ending.live(),
                ending.outcome(),
                true,
                ending.rolledBack(),
                after.lastKnownGood().orElse(null),
                ending.cause(),
                verification.verdicts(),
                plan,
                record);
    }

    /** A failure before the switch completed: the old release serves, unless a switch back failed too. */
    private Ending failedBeforeSwitch(String failure, ReleaseId previous) {
        boolean moved = onTargets.journals().stream().anyMatch(j -> !Objects.equals(j.live(), j.before()));
        if (moved) {
            return new Ending(
                    Outcome.FAILED,
                    onTargets.agreedLive(),
                    failure + " The targets now serve different releases; see the per-target report.",
                    false);
        }
        return new Ending(
                Outcome.FAILED,
                previous,
                failure + " "
                        + (previous == null
                                ? "Nothing was live before; nothing is live now."
                                : previous + " is still live."),
                false);
    }

    // ---- lock ----------------------------------------------------------------------------------

    /** What the locks say this operation is doing: {@code deploy production to r2}. */
    private String purpose() {
        return operation.label() + " " + environment.name()
                + (requestedRelease == null ? "" : " to " + requestedRelease.id());
    }

    /** The message of an operation stopped because another one took its lock. */
    private LockLostException stopped(LockLostException e) {
        LockLostException stopped =
                new LockLostException(e.getMessage() + " Stopped at once: nothing more was changed and this "
                        + operation.label()
                        + " was not recorded; each target's .deploy/ledger shows what it did. Run status to see where "
                        + environment.name() + " stands.");
        progress.warn(stopped.getMessage());
        return stopped;
    }

    /**
     * The message of an operation whose thread was interrupted (a build aborted): it stopped where it
     * was, as if killed there, but released its locks first.
     */
    private InterruptedIOException interrupted(TargetWorkers.Interrupted e) {
        InterruptedIOException interrupted = new InterruptedIOException("The " + operation.label() + " of "
                + environment.name() + " was " + e.getMessage()
                + ". Nothing more was started and this " + operation.label()
                + " was not recorded; each target's .deploy/ledger shows what it did. Run the same command again"
                + " to complete it, or run status to see where " + environment.name() + " stands.");
        progress.warn(interrupted.getMessage());
        return interrupted;
    }

    // ---- plan ----------------------------------------------------------------------------------

    private List<TargetState> inspect() throws IOException {
        String step = "reading the state";
        Results<TargetState> inspected = onTargets.allOrNothing(step, sessions, TargetSession::inspect);
        onTargets.throwIfFailed(step, inspected);
        inspected.done().forEach(d -> {
            journal(d.target()).found(d.value().current());
            slots.found(d.target(), d.value().slots());
        });
        return inspected.values();
    }

    private void announce(DeploymentPlan plan) {
        List<String> lines = plan.describe();
        progress.stage("plan", lines.get(0));
        lines.subList(1, lines.size()).forEach(progress::info);
        warnings.addAll(plan.warnings());
        if (plan.forced()) {
            warnings.addAll(plan.blockers().stream()
                    .map(b -> "overridden with --force: " + b)
                    .toList());
        }
    }

    // ---- switch --------------------------------------------------------------------------------

    /** Every target to {@code release}, all or none (see {@link Switching}). */
    private void switchOver(ReleaseId release) throws IOException {
        switching.switchOver(release, sessions);
    }

    // ---- blue/green slots ------------------------------------------------------------------------

    private boolean blueGreen() {
        return slots.inUse();
    }

    // ---- verify --------------------------------------------------------------------------------

    /** The gates on the release now live (see {@link Verification}); a failed one is thrown. */
    private void verify(DeploymentPlan plan, Release release, ReleaseId previous, TargetSides sides)
            throws IOException {
        verification.verify(plan, release, previous, sides, clock.instant());
    }

    // ---- roll back -----------------------------------------------------------------------------

    /** Moves the failed release out of {@code releases/} where it is not live, unless it once succeeded here. */
    private void archiveFailed(Release failed, History history) throws IOException {
        warnings.addAll(retention.archiveFailed(failed, history));
    }

    // ---- retain --------------------------------------------------------------------------------

    private void retain(History history, Release release, ReleaseId previous, Ending ending) throws IOException {
        Set<ReleaseId> keep =
                new HashSet<>(history.with(recording.build(release, previous, ending, clock.instant()), release)
                        .releasesToKeep());
        Optional.ofNullable(previous).ifPresent(keep::add);
        warnings.addAll(retention.retain(keep));
    }

    // ---- record --------------------------------------------------------------------------------

    private String successCause() {
        if (reason != null) {
            return reason;
        }
        return operation == Operation.DEPLOY ? null : operation.label() + " requested by " + actor;
    }

    static String failureText(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.endsWith(".") ? message : message + ".";
    }

    // ---- per-target bookkeeping ----------------------------------------------------------------

    private TargetJournal journal(String target) {
        return onTargets.journal(target);
    }
}
