package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.gate.Approver;
import io.jenkins.plugins.deployrollback.engine.gate.Gate;
import io.jenkins.plugins.deployrollback.engine.gate.GateContext;
import io.jenkins.plugins.deployrollback.engine.gate.GateEvaluator;
import io.jenkins.plugins.deployrollback.engine.gate.GateVerdict;
import io.jenkins.plugins.deployrollback.engine.gate.Verdict;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.History;
import io.jenkins.plugins.deployrollback.engine.history.HistoryStore;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.history.ReleaseConflictException;
import io.jenkins.plugins.deployrollback.engine.plan.DeploymentPlan;
import io.jenkins.plugins.deployrollback.engine.plan.PlanRefusedException;
import io.jenkins.plugins.deployrollback.engine.plan.Planner;
import io.jenkins.plugins.deployrollback.engine.plan.ReleaseSelector;
import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactStore;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.Secrets;
import io.jenkins.plugins.deployrollback.engine.targets.LockInfo;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.ReleaseIntegrity;
import io.jenkins.plugins.deployrollback.engine.targets.StagedRelease;
import io.jenkins.plugins.deployrollback.engine.targets.StaleLocks;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLock;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLockedException;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The engine's entry point: deploy, roll back, roll forward, plan each of them without changing
 * anything, verify the live release, and read an environment's status. A front end builds one with
 * its own history store, artifact store and progress listener.
 */
public final class DeploymentEngine {
    private final HistoryStore history;
    private final ArtifactStore artifacts;
    private final ProgressListener progress;
    private final Approver approver;
    private final Clock clock;
    /** Where a command check on this machine runs; null: this process's working folder. */
    private final Path workingFolder;
    /** Kept from every command on this machine and masked wherever output is shown or recorded. */
    private final Secrets secrets;

    /** An engine whose approvals get no answer (see {@link #withApprover}). */
    public DeploymentEngine(HistoryStore history, ArtifactStore artifacts, ProgressListener progress, Clock clock) {
        this(history, artifacts, progress, Approver.NONE, clock);
    }

    public DeploymentEngine(
            HistoryStore history, ArtifactStore artifacts, ProgressListener progress, Approver approver, Clock clock) {
        this(history, artifacts, progress, approver, clock, null, Secrets.NONE);
    }

    private DeploymentEngine(
            HistoryStore history,
            ArtifactStore artifacts,
            ProgressListener progress,
            Approver approver,
            Clock clock,
            Path workingFolder,
            Secrets secrets) {
        this.workingFolder = workingFolder;
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.history = Objects.requireNonNull(history, "history store");
        this.artifacts = Objects.requireNonNull(artifacts, "artifact store");
        this.progress = Objects.requireNonNull(progress, "progress listener");
        this.approver = Objects.requireNonNull(approver, "approver");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** This engine, asking {@code approver} when a gate needs a person's go/no-go. */
    public DeploymentEngine withApprover(Approver approver) {
        return new DeploymentEngine(history, artifacts, progress, approver, clock, workingFolder, secrets);
    }

    /**
     * This engine, running command checks {@code on: engine} in {@code folder} (a Jenkins workspace)
     * instead of this process's working folder.
     */
    public DeploymentEngine withWorkingFolder(Path folder) {
        return new DeploymentEngine(
                history, artifacts, progress, approver, clock, Objects.requireNonNull(folder), secrets);
    }

    /**
     * This engine, keeping {@code secrets} (the variables of this process that hold an SSH key or
     * passphrase, say) out of the environment of every hook and command check on this machine, and
     * masking their values in all output it shows or records. The secrets of each environment's
     * targets (their SSH keys and passphrases) are masked always.
     */
    public DeploymentEngine withSecrets(Secrets secrets) {
        return new DeploymentEngine(
                history, artifacts, progress, approver, clock, workingFolder, this.secrets.and(secrets));
    }

    /** What {@code environment}'s operations keep from commands and mask: this engine's secrets and its targets'. */
    private Secrets secrets(Environment environment) {
        Secrets all = secrets;
        for (Target target : environment.targets()) {
            all = all.and(target.secrets());
        }
        return all;
    }

    /**
     * Puts {@code request.release()} live on every target of {@code environment}. A release id already
     * recorded with other content is refused before anything else; the release enters the catalog and
     * its artifacts are kept (for re-staging later) once the lock is held and the plan accepted.
     */
    public DeploymentResult deploy(Environment environment, DeployRequest request) throws IOException {
        Release release = request.release();
        Optional<Release> recorded = history.release(release.id());
        if (recorded.isPresent() && !recorded.get().sameAs(release)) {
            throw ReleaseConflictException.between(recorded.get(), release);
        }
        return flow(environment, Operation.DEPLOY, request.actor(), request.reason(), request.release(), request)
                .run((h, states) -> Planner.deploy(environment, h, states, request.release()));
    }

    /** Returns {@code environment} to an earlier release: by default the last known good one other than the live one. */
    public DeploymentResult rollback(Environment environment, ReturnRequest request) throws IOException {
        return flow(environment, Operation.ROLLBACK, request.actor(), request.reason(), null, null)
                .run((h, states) -> Planner.rollback(
                        environment, h, states, request.target(), request.force(), this::artifactsKept));
    }

    /** Returns {@code environment} to a newer release after a rollback: by default the one most recently rolled back from. */
    public DeploymentResult rollForward(Environment environment, ReturnRequest request) throws IOException {
        return flow(environment, Operation.ROLL_FORWARD, request.actor(), request.reason(), null, null)
                .run((h, states) -> Planner.rollForward(
                        environment, h, states, request.target(), request.force(), this::artifactsKept));
    }

    private DeploymentFlow flow(
            Environment environment,
            Operation operation,
            String actor,
            String reason,
            Release release,
            DeployRequest request) {
        Secrets kept = secrets(environment);
        return new DeploymentFlow(
                environment,
                operation,
                actor,
                reason,
                release,
                request == null ? null : request.source(),
                history,
                artifacts,
                MaskedProgress.of(progress, kept),
                approver,
                clock,
                workingFolder,
                kept);
    }

    /** What {@link #deploy} would do now. Changes nothing and takes no lock. */
    public DeploymentPlan planDeploy(Environment environment, Release release) throws IOException {
        List<TargetState> states = inspect(environment, Operation.DEPLOY);
        return Planner.deploy(environment, historyServing(environment, states), states, release);
    }

    /** What {@link #rollback} would do now. Changes nothing and takes no lock. */
    public DeploymentPlan planRollback(Environment environment, ReturnRequest request) throws IOException {
        List<TargetState> states = inspect(environment, Operation.ROLLBACK);
        return Planner.rollback(
                environment,
                historyServing(environment, states),
                states,
                request.target(),
                request.force(),
                this::artifactsKept);
    }

    /** What {@link #rollForward} would do now. Changes nothing and takes no lock. */
    public DeploymentPlan planRollForward(Environment environment, ReturnRequest request) throws IOException {
        List<TargetState> states = inspect(environment, Operation.ROLL_FORWARD);
        return Planner.rollForward(
                environment,
                historyServing(environment, states),
                states,
                request.target(),
                request.force(),
                this::artifactsKept);
    }

    private History historyServing(Environment environment, List<TargetState> states) throws IOException {
        return Planning.withServedReleases(history.read(environment.name()), states, history);
    }

    /** The environment's recorded and actual state, target by target. */
    public EnvironmentStatus status(Environment environment) throws IOException {
        History recorded = history.read(environment.name());
        List<TargetState> states = inspect(environment, Operation.DEPLOY);
        ReleaseId live = recorded.current().orElse(null);
        boolean consistent = states.stream().allMatch(s -> Objects.equals(s.current(), live));
        return new EnvironmentStatus(
                environment.name(),
                live,
                recorded.lastKnownGood().orElse(null),
                recorded.latest().orElse(null),
                states,
                consistent,
                recorded.unfinished().orElse(null),
                recorded.problems());
    }

    /** Every release folder on every target of {@code environment}, newest first per target; changes nothing. */
    public ReleaseInventory releases(Environment environment) throws IOException {
        History recorded = history.read(environment.name());
        List<TargetState> states = inspect(environment, Operation.DEPLOY);
        Set<ReleaseId> protectedReleases = recorded.releasesToKeep();
        Map<ReleaseId, Optional<Release>> catalog = new HashMap<>();
        List<ReleaseInventory.Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>(recorded.problems());
        for (TargetState state : states) {
            List<StagedRelease> newestFirst = new ArrayList<>(state.releases());
            newestFirst.sort(
                    Comparator.comparing(StagedRelease::lastUsed, Comparator.nullsFirst(Comparator.naturalOrder()))
                            .reversed());
            for (StagedRelease staged : newestFirst) {
                ReleaseId id = staged.id();
                Optional<Release> release = catalog.get(id);
                if (release == null) {
                    release = recorded.release(id).isPresent() ? recorded.release(id) : history.release(id);
                    catalog.put(id, release);
                }
                List<String> slots = state.slots().entrySet().stream()
                        .filter(e -> e.getValue().equals(id))
                        .map(Map.Entry::getKey)
                        .sorted()
                        .toList();
                entries.add(new ReleaseInventory.Entry(
                        state.target(),
                        id,
                        release.map(Release::version).orElse(null),
                        release.map(r -> r.content().totalSize()).orElse(-1L),
                        release.map(r -> r.content().artifacts().size()).orElse(0),
                        staged.lastUsed(),
                        id.equals(state.current()),
                        slots,
                        protectedReleases.contains(id) || id.equals(state.current()),
                        artifactsKept(id)));
            }
            state.problems().forEach(p -> problems.add(state.target() + ": " + p));
        }
        return new ReleaseInventory(
                environment.name(),
                recorded.current().orElse(null),
                recorded.lastKnownGood().orElse(null),
                recorded.previousSuccessful().orElse(null),
                entries,
                problems);
    }

    /**
     * Evaluates the environment's gates against what is live now, one after the other, stopping at the
     * first that fails; an inconclusive gate is acted on as the gate policy says. Changes nothing: a
     * command check on the targets runs with the targets locked.
     */
    public VerifyResult verify(Environment environment) throws IOException {
        return verify(environment, "verify");
    }

    /** {@link #verify(Environment)} on behalf of {@code actor} (who commands see as {@code DEPLOY_ACTOR}). */
    public VerifyResult verify(Environment environment, String actor) throws IOException {
        History recorded = history.read(environment.name());
        ReleaseId live = recorded.current().orElse(null);
        if (environment.gates().isEmpty()) {
            return new VerifyResult(environment.name(), live, Verdict.INCONCLUSIVE, List.of(), null, null);
        }
        if (live == null) {
            return new VerifyResult(
                    environment.name(),
                    null,
                    Verdict.INCONCLUSIVE,
                    List.of(new GateVerdict(
                            "live",
                            Verdict.INCONCLUSIVE,
                            "nothing is live in " + environment.name() + ": there is nothing to verify",
                            List.of())),
                    null,
                    null);
        }
        // The live release's time starts with the operation that put it live: a canary check's
        // "before" baseline must be the release before it, not the live release compared with itself.
        DeploymentRecord wentLive = recorded.records().stream()
                .filter(r -> live.equals(r.release()) && live.equals(r.live()))
                .reduce((first, second) -> second)
                .orElse(null);
        Map<String, String> variables = new HashMap<>(environment.variables());
        variables.put("DEPLOY_ENVIRONMENT", environment.name().value());
        variables.put("DEPLOY_RELEASE", live == null ? "" : live.value());
        variables.put("DEPLOY_OPERATION", "verify");
        variables.put("DEPLOY_ACTOR", actor);
        Secrets kept = secrets(environment);
        ProgressListener shown = MaskedProgress.of(progress, kept);
        shown.stage(
                "verify",
                "Verifying " + (live == null ? "(nothing is live)" : live) + " in " + environment.name() + " with "
                        + String.join(
                                ", ",
                                environment.gates().stream().map(Gate::name).toList()));
        List<GateVerdict> verdicts = new ArrayList<>();
        Verdict overall = Verdict.PASS;
        try (VerifyTargets targets = new VerifyTargets(environment, actor, clock, shown, variables, kept)) {
            GateContext context = new GateContext(
                    environment.name(),
                    live,
                    wentLive == null ? null : wentLive.previous(),
                    wentLive == null ? clock.instant() : wentLive.startedAt(),
                    clock,
                    shown,
                    targets,
                    approver,
                    null,
                    variables,
                    workingFolder,
                    null,
                    kept);
            for (Gate gate : environment.gates()) {
                GateVerdict verdict = environment.gatePolicy().actOn(GateEvaluator.evaluate(gate, context), context);
                verdicts.add(verdict);
                shown.info(verdict.describe());
                if (verdict.verdict() == Verdict.FAIL) {
                    overall = Verdict.FAIL;
                    break;
                }
                if (verdict.verdict() == Verdict.INCONCLUSIVE) {
                    overall = Verdict.INCONCLUSIVE;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(
                    "Verifying " + environment.name() + " was interrupted: nothing was changed");
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return new VerifyResult(environment.name(), live, overall, verdicts, null, null);
    }

    /**
     * Like {@link #verify(Environment)}, and when a gate FAILs, rolls back to the last known good
     * release, recording the failed gates as the cause and their verdicts as its evidence.
     */
    public VerifyResult verifyOrRollBack(Environment environment, String actor) throws IOException {
        VerifyResult verified = verify(environment, actor);
        if (verified.verdict() != Verdict.FAIL) {
            return verified;
        }
        String reason = "verify failed: "
                + String.join(
                        "; ",
                        verified.gates().stream()
                                .filter(g -> g.verdict() != Verdict.PASS)
                                .map(GateVerdict::describe)
                                .toList());
        ReturnRequest request = new ReturnRequest(
                ReleaseSelector.byDefault(),
                false,
                actor,
                reason.length() > 480 ? reason.substring(0, 480) + "..." : reason);
        try {
            DeploymentResult rolledBack = flow(environment, Operation.ROLLBACK, actor, request.reason(), null, null)
                    .withEvidence(verified.gates())
                    .run((h, states) -> Planner.rollback(
                            environment, h, states, request.target(), request.force(), this::artifactsKept));
            return new VerifyResult(
                    verified.environment(), verified.live(), verified.verdict(), verified.gates(), rolledBack, null);
        } catch (PlanRefusedException | TargetLockedException e) {
            // The failed verdict is the news; why the rollback could not follow is part of it.
            return new VerifyResult(
                    verified.environment(),
                    verified.live(),
                    verified.verdict(),
                    verified.gates(),
                    null,
                    e.getMessage());
        }
    }

    /**
     * Checks every release folder on every target of {@code environment} in full (each file's SHA-256
     * against its manifest, and the folder's fingerprint), changing nothing and taking no lock.
     */
    public List<ReleaseIntegrity> verifyReleases(Environment environment) throws IOException {
        OperationContext context = inspecting(environment, Operation.DEPLOY);
        List<ReleaseIntegrity> checks = new ArrayList<>();
        for (Target target : environment.targets()) {
            try (TargetSession session = target.open(context)) {
                for (var staged : session.inspect().releases()) {
                    checks.add(session.verifyRelease(staged.id()));
                }
            }
        }
        return checks;
    }

    /**
     * Releases the lock of every target of {@code environment} whose holder is gone (it expired, or
     * its process no longer runs on this machine and no hook of it still runs), by taking it over and
     * letting it go, so the takeover is in the target's ledger like any other. A lock whose holder may
     * still be running is left alone, naming it, unless {@code force}: then it is released too, and the
     * holder, if it still runs, stops at its next step (it sees its lock was taken over).
     */
    public List<UnlockResult> unlock(Environment environment, String actor, boolean force) throws IOException {
        Secrets kept = secrets(environment);
        OperationContext context = new OperationContext(
                environment.name(), Operation.DEPLOY, actor, clock, MaskedProgress.of(progress, kept), kept);
        List<UnlockResult> results = new ArrayList<>();
        for (Target target : environment.targets()) {
            try (TargetSession session = target.open(context)) {
                LockInfo holder = session.inspect().lock();
                if (holder == null) {
                    results.add(new UnlockResult(target.name(), null, UnlockResult.Outcome.NOT_LOCKED, "not locked"));
                    continue;
                }
                String gone = StaleLocks.reason(holder, clock.instant());
                String forcedBy = force ? "unlock --force by " + actor : null;
                try (TargetLock taken = session.lock("unlock by " + actor, Duration.ofMinutes(1), forcedBy)) {
                    results.add(
                            gone != null
                                    ? new UnlockResult(target.name(), holder, UnlockResult.Outcome.RELEASED, gone)
                                    : new UnlockResult(
                                            target.name(),
                                            holder,
                                            UnlockResult.Outcome.FORCED,
                                            "forced by " + actor
                                                    + "; if its holder still runs, it stops at its next step"));
                } catch (TargetLockedException e) {
                    results.add(new UnlockResult(
                            target.name(),
                            e.holder() != null ? e.holder() : holder,
                            UnlockResult.Outcome.REFUSED,
                            "its holder may still be running; nothing was changed. Once sure it is not (see the"
                                    + " host and pid), run unlock --force"));
                }
            }
        }
        return results;
    }

    /** The environment's history. */
    public History history(EnvironmentName environment) throws IOException {
        return history.read(environment);
    }

    private List<TargetState> inspect(Environment environment, Operation operation) throws IOException {
        OperationContext context = inspecting(environment, operation);
        List<TargetState> states = new ArrayList<>();
        for (Target target : environment.targets()) {
            try (TargetSession session = target.open(context)) {
                states.add(session.inspect());
            }
        }
        return states;
    }

    /** The context of a look at the targets that changes nothing and takes no lock. */
    private OperationContext inspecting(Environment environment, Operation operation) {
        Secrets kept = secrets(environment);
        return new OperationContext(
                environment.name(), operation, "inspect", clock, MaskedProgress.of(progress, kept), kept);
    }

    private boolean artifactsKept(ReleaseId release) {
        try {
            return artifacts.find(release).isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
