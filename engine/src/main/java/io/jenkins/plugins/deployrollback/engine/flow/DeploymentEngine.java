package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.gate.GateVerdict;
import io.jenkins.plugins.deployrollback.engine.gate.HttpHealthCheck;
import io.jenkins.plugins.deployrollback.engine.gate.Verdict;
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
import io.jenkins.plugins.deployrollback.engine.target.OperationContext;
import io.jenkins.plugins.deployrollback.engine.target.Target;
import io.jenkins.plugins.deployrollback.engine.target.TargetLockedException;
import io.jenkins.plugins.deployrollback.engine.target.TargetSession;
import io.jenkins.plugins.deployrollback.engine.target.TargetState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The engine's entry point: deploy, roll back, roll forward, plan each of them without changing
 * anything, verify the live release, and read an environment's status. A front end builds one with
 * its own history store, artifact store and progress listener.
 */
public final class DeploymentEngine {
    private final HistoryStore history;
    private final ArtifactStore artifacts;
    private final ProgressListener progress;
    private final Clock clock;

    public DeploymentEngine(HistoryStore history, ArtifactStore artifacts, ProgressListener progress, Clock clock) {
        this.history = Objects.requireNonNull(history, "history store");
        this.artifacts = Objects.requireNonNull(artifacts, "artifact store");
        this.progress = Objects.requireNonNull(progress, "progress listener");
        this.clock = Objects.requireNonNull(clock, "clock");
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
        return new DeploymentFlow(
                environment,
                operation,
                actor,
                reason,
                release,
                request == null ? null : request.source(),
                history,
                artifacts,
                progress,
                clock);
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
        return DeploymentFlow.withServedReleases(history.read(environment.name()), states, history);
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

    /** Evaluates the environment's health checks against what is live now; changes nothing. */
    public VerifyResult verify(Environment environment) throws IOException {
        ReleaseId live = history.read(environment.name()).current().orElse(null);
        List<GateVerdict> verdicts = new ArrayList<>();
        Verdict overall = environment.healthChecks().isEmpty() ? Verdict.INCONCLUSIVE : Verdict.PASS;
        for (HttpHealthCheck check : environment.healthChecks()) {
            GateVerdict verdict = check.evaluate(clock, progress::info);
            verdicts.add(verdict);
            if (verdict.verdict() == Verdict.FAIL) {
                overall = Verdict.FAIL;
            } else if (verdict.verdict() == Verdict.INCONCLUSIVE && overall == Verdict.PASS) {
                overall = Verdict.INCONCLUSIVE;
            }
        }
        return new VerifyResult(environment.name(), live, overall, verdicts, null, null);
    }

    /**
     * Like {@link #verify(Environment)}, and when a check FAILs, rolls back to the last known good
     * release, recording the failed checks as the cause.
     */
    public VerifyResult verifyOrRollBack(Environment environment, String actor) throws IOException {
        VerifyResult verified = verify(environment);
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
            return new VerifyResult(
                    verified.environment(),
                    verified.live(),
                    verified.verdict(),
                    verified.gates(),
                    rollback(environment, request),
                    null);
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

    /** The environment's history. */
    public History history(EnvironmentName environment) throws IOException {
        return history.read(environment);
    }

    private List<TargetState> inspect(Environment environment, Operation operation) throws IOException {
        OperationContext context = new OperationContext(environment.name(), operation, "inspect", clock, progress);
        List<TargetState> states = new ArrayList<>();
        for (Target target : environment.targets()) {
            try (TargetSession session = target.open(context)) {
                states.add(session.inspect());
            }
        }
        return states;
    }

    private boolean artifactsKept(ReleaseId release) {
        try {
            return artifacts.find(release).isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
