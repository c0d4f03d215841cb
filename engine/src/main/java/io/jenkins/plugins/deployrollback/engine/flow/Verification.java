package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Results;
import io.jenkins.plugins.deployrollback.engine.gate.Approver;
import io.jenkins.plugins.deployrollback.engine.gate.CanaryCheck;
import io.jenkins.plugins.deployrollback.engine.gate.Check;
import io.jenkins.plugins.deployrollback.engine.gate.Gate;
import io.jenkins.plugins.deployrollback.engine.gate.GateContext;
import io.jenkins.plugins.deployrollback.engine.gate.GateEvaluator;
import io.jenkins.plugins.deployrollback.engine.gate.GateFailedException;
import io.jenkins.plugins.deployrollback.engine.gate.GateVerdict;
import io.jenkins.plugins.deployrollback.engine.gate.TargetSides;
import io.jenkins.plugins.deployrollback.engine.gate.Verdict;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.plan.DeploymentPlan;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.Secrets;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The verify stage of an operation: the environment's gates on the release now live, one after the
 * other, each verdict acted on as the gate policy says. A gate that fails is thrown, for the flow to
 * roll back. Keeps every verdict, with the evidence an operation was started with, for the record.
 */
final class Verification {
    private final OperationScope scope;
    private final Approver approver;
    private final Path workingFolder;
    private final Secrets secrets;
    private final HookStage hooks;
    private final List<String> warnings;
    private final List<GateVerdict> verdicts = new ArrayList<>();

    /** @param warnings where an inconclusive verdict the policy accepted is noted, for the record */
    Verification(
            OperationScope scope,
            Approver approver,
            Path workingFolder,
            Secrets secrets,
            HookStage hooks,
            List<String> warnings) {
        this.scope = scope;
        this.approver = approver;
        this.workingFolder = workingFolder;
        this.secrets = secrets;
        this.hooks = hooks;
        this.warnings = warnings;
    }

    /** The verdicts that led to this operation (a rollback asked for by a failed verify). */
    void addEvidence(List<GateVerdict> evidence) {
        verdicts.addAll(evidence);
    }

    /** Every verdict so far, the evidence first. */
    List<GateVerdict> verdicts() {
        return verdicts;
    }

    /**
     * Runs the environment's gates against the release now live, one after the other. A gate that
     * fails stops the flow (to roll back); an inconclusive one is acted on as the gate policy says.
     */
    void verify(DeploymentPlan plan, Release release, ReleaseId previous, TargetSides sides, Instant since)
            throws IOException {
        if (!plan.gatesRun()) {
            if (!scope.environment().gates().isEmpty()) {
                scope.progress()
                        .info("Gates skipped: a rollback returns to a release that already passed them"
                                + " (set verifyAfterRollback to run them)");
            }
            return;
        }
        List<Gate> toRun = gatesFor(sides);
        if (toRun.isEmpty()) {
            return;
        }
        try {
            runGates(toRun, release, previous, sides, since);
        } finally {
            // Gates take time and may run commands on the targets: each lock is asked again after them.
            scope.locks().outsideWorkRan();
        }
    }

    private void runGates(List<Gate> toRun, Release release, ReleaseId previous, TargetSides sides, Instant since)
            throws IOException {
        ensureLocksHeld();
        scope.progress()
                .stage(
                        "verify",
                        "Verifying " + release.id()
                                + (sides == null
                                        ? ""
                                        : " on " + sides.switched().size() + " of "
                                                + scope.sessions().size() + " targets")
                                + " with " + Text.count(toRun.size(), "gate") + ": "
                                + String.join(
                                        ", ", toRun.stream().map(Gate::name).toList()));
        GateContext context = new GateContext(
                scope.environment().name(),
                release.id(),
                previous,
                since,
                scope.clock(),
                scope.progress(),
                command -> runOnEveryTarget(command, release, previous),
                approver,
                null,
                hooks.variables(release, previous, scope.operation().hookMode()),
                workingFolder,
                sides,
                secrets);
        for (Gate gate : toRun) {
            GateVerdict evaluated;
            GateVerdict verdict;
            try {
                evaluated = GateEvaluator.evaluate(gate, context);
                verdict = scope.environment().gatePolicy().actOn(evaluated, context);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TargetWorkers.Interrupted("interrupted while gate " + gate.name() + " was sampling");
            } catch (java.io.UncheckedIOException e) {
                // A lock lost while a check ran on the targets: stop as any step does.
                throw e.getCause();
            }
            verdicts.add(verdict);
            scope.progress().info(verdict.describe());
            // The policy turns INCONCLUSIVE into PASS or FAIL, so an accepted one is known by what it was.
            if (evaluated.verdict() == Verdict.INCONCLUSIVE && verdict.verdict() == Verdict.PASS) {
                warnings.add("gate " + verdict.describe());
                scope.progress().warn("Gate " + verdict.describe());
            }
            if (verdict.verdict() == Verdict.FAIL) {
                throw new GateFailedException(verdict);
            }
            ensureLocksHeld();
        }
    }

    /**
     * The gates to run with the targets split as {@code sides} says (null: every target switched). A
     * canary check that compares switched targets with the others needs both: once every target
     * switched it is left out, with a note, and a gate left without checks is skipped.
     */
    private List<Gate> gatesFor(TargetSides sides) {
        boolean comparable = sides != null && sides.comparable();
        List<Gate> gates = new ArrayList<>();
        for (Gate gate : scope.environment().gates()) {
            List<Check> checks = gate.checks().stream()
                    .filter(c -> comparable || !(c instanceof CanaryCheck canary && canary.comparesTargets()))
                    .toList();
            if (checks.size() < gate.checks().size()) {
                scope.progress()
                        .info("Gate " + gate.name() + ": canary checks across targets left out: no target"
                                + " serves the release before now, so there is no baseline to compare with");
            }
            if (!checks.isEmpty()) {
                gates.add(checks.size() == gate.checks().size() ? gate : new Gate(gate.name(), checks, gate.window()));
            }
        }
        return gates;
    }

    /** A command check's command on every target, in parallel, each in the live release's folder. */
    private List<HookRun> runOnEveryTarget(Hook command, Release release, ReleaseId previous) throws IOException {
        Results<HookRun> ran = scope.onTargets().everyTarget(scope.sessions(), session -> {
            scope.locks().ensureHeld(session.target());
            return session.runHook(
                    command,
                    scope.operation().hookMode(),
                    release.id(),
                    hooks.variablesOn(
                            session,
                            release,
                            hooks.leftOn(session, release, previous),
                            scope.operation().hookMode()),
                    line -> scope.progress().output(command.name() + "@" + session.target(), line));
        });
        scope.onTargets().throwIfFailed("check " + command.name(), ran);
        return ran.values();
    }

    /** Renews every lock now: before a gate, and after each, as their checks take time. */
    private void ensureLocksHeld() throws IOException {
        scope.onTargets().everyTarget(scope.sessions(), session -> {
            scope.locks().ensureHeld(session.target());
            return null;
        });
    }
}
