package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.flow.Planning.Planned;
import io.jenkins.plugins.deployrollback.engine.gate.Approver;
import io.jenkins.plugins.deployrollback.engine.gate.GateVerdict;
import io.jenkins.plugins.deployrollback.engine.history.AttemptInProgress;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.History;
import io.jenkins.plugins.deployrollback.engine.history.HistoryStore;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    /** The targets: opened, locked all or none, released and closed at the end. */
    private final TargetAccess access;
    /** The targets' state and the history read, and the plan made from them. */
    private final Planning planning;
    /** Putting the release on the targets. */
    private final Staging staging;
    /** Blue/green: what each slot of each target holds, and pointing the idle ones. */
    private final BlueGreenSlots slots;
    /** The hooks, and the variables hooks and command checks get. */
    private final HookStage hooks;
    /** The gates, and the verdicts they gave. */
    private final Verification verification;
    /** Putting the release live step by step, with each step's hooks and gates. */
    private final RollOut rollOut;
    /** Returning the targets to the release before, after a failure past the switch. */
    private final AutomaticRollback rollback;
    /** What stays on the targets afterwards: retention, and a failed release's archive. */
    private final Retention retention;
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
        this.planning = new Planning(scope, historyStore, slots, warnings);
        this.hooks = new HookStage(scope, slots);
        this.staging = new Staging(scope, requestedRelease, requestedSource, artifacts);
        Switching switching = new Switching(scope);
        this.verification = new Verification(scope, approver, workingFolder, secrets, hooks, warnings);
        this.rollOut = new RollOut(scope, hooks, switching, verification);
        this.recording = new Recording(scope, historyStore, attemptId, secrets, verification, hooks, warnings);
        this.retention = new Retention(scope, recording);
        this.rollback = new AutomaticRollback(scope, staging, slots, hooks, switching, retention, warnings);
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
            Planned planned = planning.plan(planner);
            DeploymentPlan plan = planned.plan();
            if (plan.refused()) {
                throw new PlanRefusedException(plan);
            }
            if (plan.nothingToDo()) {
                progress.info(
                        plan.to() + " is already live on every target of " + environment.name() + ": nothing to do");
                return DeploymentResult.nothingToDo(
                        operation,
                        environment.name(),
                        plan,
                        planned.history().lastKnownGood().orElse(null));
            }
            return attempt(plan, planned.history(), startedAt);
        } catch (LockLostException e) {
            throw access.stopped(e);
        } catch (TargetWorkers.Interrupted e) {
            throw access.interrupted(e);
        } finally {
            access.finish();
        }
    }

    /** What the locks say this operation is doing: {@code deploy production to r2}. */
    private String purpose() {
        return operation.label() + " " + environment.name()
                + (requestedRelease == null ? "" : " to " + requestedRelease.id());
    }

    /**
     * Stage, before-switch hooks, roll out (switch, after-switch hooks, verify), on failure roll back
     * or archive, then retain and record: the attempt at {@code plan}, recorded however it ends.
     */
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
            if (slots.inUse()) {
                slots.pointIdle(release);
            }
            hooks.run(HookPhase.BEFORE_SWITCH, operation.hookMode(), release, previous, sessions);
            CrashPoint.reach(CRASH_BEFORE_SWITCH_HOOKS);
            if (slots.inUse()) {
                // Judged on the idle slot while the live one still serves: a failure switches nothing.
                verification.verify(plan, release, previous, null, clock.instant());
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
            ending = Ending.succeeded(release.id(), rollOut.partialCause(release, previous));
        } else if (failure == null) {
            ending = Ending.succeeded(release.id(), successCause());
        } else if (!rollOut.anySwitched()) {
            warnings.addAll(retention.archiveFailed(release, history));
            ending = Ending.failedBeforeSwitch(failure, previous, onTargets);
        } else if (operation == Operation.ROLLBACK) {
            ending = Ending.rollbackNotCompleted(failure, release.id());
        } else {
            ending = rollback.run(failure, release, previous, history);
        }
        warnings.addAll(retention.retain(history, release, previous, ending));
        CrashPoint.reach(CRASH_RETAINED);
        access.ensureLocksHeld();
        DeploymentRecord record = recording.append(release, previous, ending, startedAt);
        CrashPoint.reach(CRASH_RECORDED);
        return DeploymentResult.recorded(
                record,
                ending,
                history.with(record, release).lastKnownGood().orElse(null),
                verification.verdicts(),
                plan);
    }

    /** Why a successful attempt was made: the reason given, or who asked for a rollback or roll-forward. */
    private String successCause() {
        if (reason != null) {
            return reason;
        }
        return operation == Operation.DEPLOY ? null : operation.label() + " requested by " + actor;
    }

    /** The message of {@code e} as a sentence, for a cause. */
    static String failureText(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.endsWith(".") ? message : message + ".";
    }
}
