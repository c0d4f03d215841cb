package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.gate.GateFailedException;
import io.jenkins.plugins.deployrollback.engine.gate.GateVerdict;
import io.jenkins.plugins.deployrollback.engine.gate.HttpHealthCheck;
import io.jenkins.plugins.deployrollback.engine.gate.Verdict;
import io.jenkins.plugins.deployrollback.engine.history.AttemptInProgress;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.History;
import io.jenkins.plugins.deployrollback.engine.history.HistoryStore;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.history.TargetReport;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookFailedException;
import io.jenkins.plugins.deployrollback.engine.hook.HookMode;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.plan.DeploymentPlan;
import io.jenkins.plugins.deployrollback.engine.plan.PlanRefusedException;
import io.jenkins.plugins.deployrollback.engine.plan.TargetStep;
import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactSource;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactStore;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.CrashPoint;
import io.jenkins.plugins.deployrollback.engine.target.LockLostException;
import io.jenkins.plugins.deployrollback.engine.target.OperationContext;
import io.jenkins.plugins.deployrollback.engine.target.Target;
import io.jenkins.plugins.deployrollback.engine.target.TargetSession;
import io.jenkins.plugins.deployrollback.engine.target.TargetState;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * A failure before the switch leaves the old release serving everywhere. A failure while switching
 * switches the targets already switched back. A failure after the switch rolls every target back to
 * the release live before (for deploys and roll-forwards, when automatic rollback is on). Whatever
 * happens, the attempt is recorded with what it did on each target.
 */
final class DeploymentFlow {
    // Crash points between stages, for the crash-safety tests (see CrashPoint).
    static final String CRASH_LOCKED = "locked";
    static final String CRASH_STAGED = "staged";
    static final String CRASH_BEFORE_SWITCH_HOOKS = "before-switch-hooks";
    static final String CRASH_SWITCHED = "switched";
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

    /** The id of this attempt's record, noted in the history before the switch. */
    private final String attemptId = UUID.randomUUID().toString();

    private final List<TargetSession> sessions = new ArrayList<>();
    private final HeldLocks locks;
    private final Map<String, Report> reports = new LinkedHashMap<>();
    private final List<HookRun> hookRuns = new ArrayList<>();
    private final List<GateVerdict> gates = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    /** How an attempt ended. */
    private record Ending(Outcome outcome, ReleaseId live, String cause, boolean rolledBack) {}

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
            Clock clock) {
        this.environment = environment;
        this.operation = operation;
        this.actor = actor;
        this.reason = reason;
        this.requestedRelease = requestedRelease;
        this.requestedSource = requestedSource;
        this.historyStore = historyStore;
        this.artifacts = artifacts;
        this.progress = progress;
        this.clock = clock;
        this.locks = new HeldLocks(progress::warn);
    }

    /** Runs the operation with the plan {@code planner} makes from the history and the targets' state. */
    DeploymentResult run(BiFunction<History, List<TargetState>, DeploymentPlan> planner) throws IOException {
        Instant startedAt = clock.instant();
        try {
            open();
            lock();
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
        } finally {
            locks.close();
            closeSessions();
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
        boolean switched = false;
        try {
            stage(plan, release);
            CrashPoint.reach(CRASH_STAGED);
            runHooks(HookPhase.BEFORE_SWITCH, operation.hookMode(), release, previous);
            CrashPoint.reach(CRASH_BEFORE_SWITCH_HOOKS);
            locks.ensureHeld();
            historyStore.begin(new AttemptInProgress(
                    attemptId, environment.name(), operation, release.id(), previous, actor, startedAt));
            switchOver(release.id());
            switched = true;
            CrashPoint.reach(CRASH_SWITCHED);
            runHooks(HookPhase.AFTER_SWITCH, operation.hookMode(), release, previous);
            CrashPoint.reach(CRASH_AFTER_SWITCH_HOOKS);
            verify(plan);
            CrashPoint.reach(CRASH_VERIFIED);
        } catch (LockLostException e) {
            throw stopped(e);
        } catch (IOException | RuntimeException e) {
            failure = failureText(e);
            progress.warn("The " + operation.label() + " of " + release.id() + " failed: " + failure);
        }
        Ending ending;
        if (failure == null) {
            ending = new Ending(Outcome.SUCCEEDED, release.id(), successCause(), false);
        } else if (!switched) {
            archiveFailed(release, history);
            ending = new Ending(
                    Outcome.FAILED,
                    previous,
                    failure + " "
                            + (previous == null
                                    ? "Nothing was live before; nothing is live now."
                                    : previous + " is still live."),
                    false);
        } else if (operation == Operation.ROLLBACK) {
            ending = new Ending(
                    Outcome.FAILED,
                    release.id(),
                    failure + " " + release.id()
                            + " is live, but its rollback did not complete: fix the cause, then run"
                            + " the same rollback again to complete it.",
                    false);
        } else {
            ending = rollBack(failure, release, previous, history);
        }
        retain(history, release, previous, ending);
        CrashPoint.reach(CRASH_RETAINED);
        locks.ensureHeld();
        DeploymentRecord record = record(release, previous, ending, startedAt);
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
                gates,
                plan,
                record);
    }

    // ---- lock ----------------------------------------------------------------------------------

    private void open() throws IOException {
        OperationContext context = new OperationContext(environment.name(), operation, actor, clock, progress);
        for (Target target : environment.targets()) {
            TargetSession session = target.open(context);
            sessions.add(session);
            reports.put(session.target(), new Report());
        }
    }

    private void lock() throws IOException {
        String purpose = operation.label() + " " + environment.name()
                + (requestedRelease == null ? "" : " to " + requestedRelease.id());
        progress.stage(
                "lock",
                "Locking " + sessions.size() + (sessions.size() == 1 ? " target" : " targets") + " of "
                        + environment.name());
        for (TargetSession session : sessions) {
            locks.add(session.lock(purpose, environment.lockTimeout()));
        }
        locks.keepAlive(environment.lockTimeout());
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

    private void closeSessions() {
        for (TargetSession session : sessions) {
            try {
                session.close();
            } catch (IOException e) {
                progress.warn("Could not close the session to " + session.target() + ": " + e.getMessage());
            }
        }
    }

    // ---- plan ----------------------------------------------------------------------------------

    private List<TargetState> inspect() throws IOException {
        List<TargetState> states = new ArrayList<>();
        for (TargetSession session : sessions) {
            TargetState state = session.inspect();
            states.add(state);
            reports.get(session.target()).live = state.current();
            reports.get(session.target()).before = state.current();
        }
        return states;
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

    // ---- stage ---------------------------------------------------------------------------------

    private void stage(DeploymentPlan plan, Release release) throws IOException {
        for (TargetStep step : plan.targets()) {
            TargetSession session = session(step.target());
            switch (step.action()) {
                case ALREADY_LIVE -> report(session).steps.add(release.id() + " already live");
                case SWITCH -> ensureStaged(session, release, false);
                case STAGE, REDEPLOY -> ensureStaged(session, release, true);
            }
        }
    }

    /**
     * Makes {@code release} present on the target: a folder already there is checked and kept (it is
     * staged again only if it was altered); otherwise the artifacts are transferred, unpacked and
     * verified. {@code transfer} says whether the plan expects a transfer, for the progress line.
     */
    private void ensureStaged(TargetSession session, Release release, boolean transfer) throws IOException {
        locks.ensureHeld();
        if (transfer) {
            progress.stage(
                    "stage",
                    "Staging " + release.id() + " (" + release.content().summary() + ") on " + session.target()
                            + (requestedRelease != null && requestedRelease.id().equals(release.id())
                                    ? ""
                                    : " from its kept artifacts"));
        }
        try {
            boolean written = session.stage(release, () -> sourceOf(release), environment.shared());
            report(session).steps.add(written ? "staged " + release.id() : release.id() + " present, switch only");
        } catch (IOException | RuntimeException e) {
            report(session).error = "staging " + release.id() + " failed: " + e.getMessage();
            throw e;
        }
    }

    private ArtifactSource sourceOf(Release release) throws IOException {
        if (requestedRelease != null && requestedRelease.id().equals(release.id())) {
            return requestedSource;
        }
        return artifacts
                .find(release.id())
                .orElseThrow(() -> new IOException("The artifacts of release " + release.id()
                        + " are not kept, so it cannot be staged again; deploy it from its artifacts instead."));
    }

    // ---- hooks ---------------------------------------------------------------------------------

    private void runHooks(HookPhase phase, HookMode mode, Release release, ReleaseId other) throws IOException {
        List<Hook> hooks = environment.hooks().stream()
                .filter(h -> h.phase() == phase && h.runOn().includes(mode))
                .toList();
        if (hooks.isEmpty()) {
            return;
        }
        locks.ensureHeld();
        progress.stage(
                phase.label(),
                "Running " + phase.label() + " hooks (" + mode.label() + "): "
                        + String.join(", ", hooks.stream().map(Hook::name).toList()));
        for (Hook hook : hooks) {
            for (TargetSession session : sessions) {
                HookRun run = session.runHook(
                        hook,
                        mode,
                        release.id(),
                        variables(release, leftOn(session, release, other), mode),
                        line -> progress.output(hook.name() + "@" + session.target(), line));
                hookRuns.add(run);
                report(session).steps.add("hook " + run.describe());
                progress.info("hook " + run.describe());
                if (!run.succeeded()) {
                    report(session).error = "hook " + run.describe();
                    throw new HookFailedException(run);
                }
            }
        }
    }

    /**
     * The release a target leaves in this move: what it served before the operation, unless that is
     * the release itself (then, the release the environment leaves).
     */
    private ReleaseId leftOn(TargetSession session, Release release, ReleaseId environmentLeaves) {
        ReleaseId before = report(session).before;
        return before != null && !before.equals(release.id()) ? before : environmentLeaves;
    }

    private Map<String, String> variables(Release release, ReleaseId other, HookMode mode) {
        Map<String, String> variables = new HashMap<>(environment.variables());
        variables.put("DEPLOY_ENVIRONMENT", environment.name().value());
        variables.put("DEPLOY_RELEASE", release.id().value());
        variables.put("DEPLOY_RELEASE_VERSION", release.version());
        variables.put("DEPLOY_PREVIOUS_RELEASE", other == null ? "" : other.value());
        variables.put("DEPLOY_OPERATION", operation.label());
        variables.put("DEPLOY_MODE", mode.label());
        variables.put("DEPLOY_ACTOR", actor);
        return variables;
    }

    // ---- switch --------------------------------------------------------------------------------

    /**
     * Points every target to {@code release}, one rename each. If one fails, the targets already
     * switched are switched back before the failure is reported: the environment is never left mixed
     * by a failed switch.
     */
    private void switchOver(ReleaseId release) throws IOException {
        locks.ensureHeld();
        progress.stage("switch", "Switching " + environment.name() + " to " + release);
        List<TargetSession> switched = new ArrayList<>();
        Map<TargetSession, ReleaseId> before = new HashMap<>();
        for (TargetSession session : sessions) {
            ReleaseId was = report(session).live;
            if (release.equals(was)) {
                continue;
            }
            try {
                locks.ensureHeld();
                session.switchTo(release);
                before.put(session, was);
                switched.add(session);
                report(session).switched(was, release);
                progress.info(session.target() + ": current -> " + release + (was == null ? "" : " (was " + was + ")"));
            } catch (LockLostException e) {
                // Another operation owns the targets now: switching anything back is its business.
                throw e;
            } catch (IOException | RuntimeException e) {
                report(session).error = "switch to " + release + " failed: " + e.getMessage();
                for (int i = switched.size() - 1; i >= 0; i--) {
                    switchBack(switched.get(i), before.get(switched.get(i)));
                }
                throw new IOException(
                        "Switching " + session.target() + " to " + release + " failed: " + e.getMessage()
                                + (switched.isEmpty() ? "" : " The targets already switched were switched back."),
                        e);
            }
        }
    }

    private void switchBack(TargetSession session, ReleaseId was) {
        if (was == null) {
            progress.warn(session.target() + " had no release live before; it stays on " + report(session).live);
            return;
        }
        try {
            session.switchTo(was);
            report(session).switched(report(session).live, was);
            progress.info(session.target() + ": current -> " + was + " (switched back)");
        } catch (IOException | RuntimeException e) {
            report(session).error = "switching back to " + was + " failed: " + e.getMessage();
            progress.warn(report(session).error);
        }
    }

    // ---- verify --------------------------------------------------------------------------------

    private void verify(DeploymentPlan plan) throws IOException {
        if (!plan.healthChecksRun()) {
            if (!environment.healthChecks().isEmpty()) {
                progress.info("Health checks skipped: a rollback returns to a release that already passed them");
            }
            return;
        }
        locks.ensureHeld();
        progress.stage(
                "verify",
                "Checking " + environment.healthChecks().size() + " health "
                        + (environment.healthChecks().size() == 1 ? "check" : "checks"));
        for (HttpHealthCheck check : environment.healthChecks()) {
            GateVerdict verdict = check.evaluate(clock, progress::info);
            gates.add(verdict);
            progress.info(verdict.describe());
            if (verdict.verdict() != Verdict.PASS) {
                throw new GateFailedException(verdict);
            }
        }
    }

    // ---- roll back -----------------------------------------------------------------------------

    /** After a failure past the switch: every target back to {@code previous}, with the rollback hooks. */
    private Ending rollBack(String failure, Release failed, ReleaseId previous, History history)
            throws LockLostException {
        if (!environment.autoRollback()) {
            return new Ending(
                    Outcome.FAILED,
                    failed.id(),
                    failure + " Automatic rollback is off, so " + failed.id() + " stays live.",
                    false);
        }
        if (previous == null) {
            return new Ending(
                    Outcome.FAILED,
                    failed.id(),
                    failure + " Nothing was live before it, so " + failed.id() + " stays live.",
                    false);
        }
        if (failed.declaresIrreversibleChange()) {
            return new Ending(
                    Outcome.FAILED,
                    failed.id(),
                    failure + " " + failed.id() + " declares " + String.join(" and ", failed.facts())
                            + ", so it was not rolled back automatically: roll forward with a fix, or roll back with --force.",
                    false);
        }
        progress.stage("rollback", "Rolling " + environment.name() + " back to " + previous);
        try {
            Release back = history.release(previous)
                    .orElseThrow(() -> new IOException("release " + previous + " is not in the catalog"));
            for (TargetSession session : sessions) {
                ensureStaged(
                        session,
                        back,
                        !session.inspect().holds(back.id(), back.content().digest()));
            }
            runHooks(HookPhase.BEFORE_SWITCH, HookMode.ROLLBACK, back, failed.id());
            switchOver(previous);
            runHooks(HookPhase.AFTER_SWITCH, HookMode.ROLLBACK, back, failed.id());
            CrashPoint.reach(CRASH_ROLLED_BACK);
            archiveFailed(failed, history);
            return new Ending(Outcome.ROLLED_BACK, previous, failure + " Rolled back to " + previous + ".", true);
        } catch (LockLostException e) {
            throw stopped(e);
        } catch (IOException | RuntimeException e) {
            String also = failureText(e);
            progress.warn("The automatic rollback failed: " + also);
            ReleaseId live = agreedLive();
            return new Ending(
                    Outcome.FAILED,
                    live,
                    failure + " The automatic rollback to " + previous + " failed too: " + also
                            + (live == null
                                    ? " The targets now serve different releases; see the per-target report."
                                    : " " + live + " is live."),
                    false);
        }
    }

    /** Moves the failed release out of {@code releases/} where it is not live, unless it once succeeded here. */
    private void archiveFailed(Release failed, History history) throws LockLostException {
        if (history.everSucceeded(failed.id())) {
            return;
        }
        locks.ensureHeld();
        for (TargetSession session : sessions) {
            if (failed.id().equals(report(session).live)) {
                continue;
            }
            try {
                if (session.inspect().release(failed.id()).isPresent()) {
                    session.archiveFailed(failed.id(), environment.retention().keepFailed());
                    report(session).steps.add("archived " + failed.id() + " in .deploy/failed");
                }
            } catch (IOException | RuntimeException e) {
                warnings.add("could not archive " + failed.id() + " on " + session.target() + ": " + e.getMessage());
            }
        }
    }

    private ReleaseId agreedLive() {
        Set<ReleaseId> live = new HashSet<>();
        reports.values().forEach(r -> live.add(r.live));
        return live.size() == 1 ? live.iterator().next() : null;
    }

    // ---- retain --------------------------------------------------------------------------------

    private void retain(History history, Release release, ReleaseId previous, Ending ending) throws LockLostException {
        Set<ReleaseId> keep =
                new HashSet<>(history.with(buildRecord(release, previous, ending, clock.instant()), release)
                        .releasesToKeep());
        Optional.ofNullable(previous).ifPresent(keep::add);
        progress.stage(
                "retain",
                "Keeping the newest " + environment.retention().keepReleases() + " releases; never removing "
                        + String.join(
                                ", ",
                                keep.stream().map(ReleaseId::value).sorted().toList())
                        + " (live, previous, last known good)");
        for (TargetSession session : sessions) {
            try {
                locks.ensureHeld();
                TargetState state = session.inspect();
                Set<ReleaseId> protectedHere = new HashSet<>(keep);
                Optional.ofNullable(state.current()).ifPresent(protectedHere::add);
                for (ReleaseId id : environment.retention().toRemove(state.releases(), protectedHere)) {
                    session.remove(id);
                    report(session).steps.add("removed " + id + " (retention)");
                }
            } catch (LockLostException e) {
                throw stopped(e);
            } catch (IOException | RuntimeException e) {
                warnings.add("retention on " + session.target() + " stopped: " + e.getMessage());
                progress.warn("Retention on " + session.target() + " stopped: " + e.getMessage());
            }
        }
    }

    // ---- record --------------------------------------------------------------------------------

    private DeploymentRecord record(Release release, ReleaseId previous, Ending ending, Instant startedAt)
            throws IOException {
        DeploymentRecord record = buildRecord(release, previous, ending, startedAt);
        progress.stage(
                "record",
                operation.label() + " of " + release.id() + " to " + environment.name() + ": " + ending.outcome()
                        + (ending.live() == null ? "" : ", live: " + ending.live()));
        historyStore.append(record);
        return record;
    }

    private DeploymentRecord buildRecord(Release release, ReleaseId previous, Ending ending, Instant startedAt) {
        List<TargetReport> targets = new ArrayList<>();
        reports.forEach((name, report) -> targets.add(new TargetReport(name, report.steps, report.live, report.error)));
        return new DeploymentRecord(
                attemptId,
                environment.name(),
                operation,
                release.id(),
                previous,
                ending.live(),
                ending.outcome(),
                actor,
                ending.cause(),
                startedAt,
                clock.instant(),
                gates,
                hookRuns,
                targets,
                warnings);
    }

    private String successCause() {
        if (reason != null) {
            return reason;
        }
        return operation == Operation.DEPLOY ? null : operation.label() + " requested by " + actor;
    }

    private static String failureText(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.endsWith(".") ? message : message + ".";
    }

    // ---- per-target bookkeeping ----------------------------------------------------------------

    private TargetSession session(String target) {
        return sessions.stream()
                .filter(s -> s.target().equals(target))
                .findFirst()
                .orElseThrow();
    }

    private Report report(TargetSession session) {
        return reports.get(session.target());
    }

    /** What the attempt did on one target, and what is live there as far as it knows. */
    private static final class Report {
        final List<String> steps = new ArrayList<>();
        /** What the target served when the operation began. */
        ReleaseId before;

        ReleaseId live;
        String error;

        void switched(ReleaseId from, ReleaseId to) {
            steps.add("switched " + (from == null ? "(none)" : from) + " -> " + to);
            live = to;
        }
    }
}
