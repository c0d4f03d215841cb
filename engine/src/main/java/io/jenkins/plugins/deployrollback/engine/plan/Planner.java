package io.jenkins.plugins.deployrollback.engine.plan;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.History;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.target.TargetState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides plans from the history and the targets' state, changing nothing. The same planner serves
 * the {@code plan} command, the confirmation page of "Roll back to this build" and the operations
 * themselves (which plan again under the lock, so what runs is what the state is then).
 */
public final class Planner {
    private Planner() {}

    /** Plan for putting {@code release} live. */
    public static DeploymentPlan deploy(
            Environment environment, History history, List<TargetState> states, Release release) {
        ReleaseId from = history.current().orElse(null);
        List<String> warnings = new ArrayList<>(mixedWarnings(history, states, from));
        if (release.declaresIrreversibleChange()) {
            warnings.add(
                    "release " + release.id() + " declares " + String.join(", ", irreversibleFacts(release))
                            + ": once it is live, a rollback past it is refused unless forced, and it is not rolled back automatically");
        }
        history.lastAttemptToShip(release.id())
                .filter(r -> r.outcome() != Outcome.SUCCEEDED)
                .ifPresent(r -> warnings.add("the last deployment of " + release.id() + " here ended " + r.outcome()
                        + (r.cause() == null ? "" : ": " + r.cause())));
        List<TargetStep> steps = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (TargetState state : states) {
            conflict(state, release).ifPresent(errors::add);
            steps.add(new TargetStep(state.target(), state.current(), actionFor(state, release, TargetAction.STAGE)));
        }
        return new DeploymentPlan(
                Operation.DEPLOY,
                environment.name(),
                from,
                release.id(),
                "deploy requested",
                steps,
                hooks(environment, Operation.DEPLOY),
                !environment.healthChecks().isEmpty(),
                warnings,
                List.of(),
                errors,
                false);
    }

    /**
     * Plan for returning to an earlier release: by default the last known good release other than
     * the live one. Refused without {@code force} when the target never succeeded here or when the
     * way back crosses a release that declares a schema migration or a breaking change.
     */
    public static DeploymentPlan rollback(
            Environment environment,
            History history,
            List<TargetState> states,
            ReleaseSelector selector,
            boolean force,
            Predicate<ReleaseId> artifactsKept) {
        ReleaseId from = history.current().orElse(null);
        List<String> errors = new ArrayList<>();
        List<String> blockers = new ArrayList<>();
        String why;
        ReleaseId to;
        if (selector instanceof ReleaseSelector.Default) {
            if (from == null) {
                errors.add("Nothing is recorded as live in " + environment.name() + ": there is nothing to roll back.");
                return refusedPlan(Operation.ROLLBACK, environment, history, states, from, errors);
            }
            Optional<ReleaseId> good = history.lastKnownGoodOtherThan(from);
            if (good.isEmpty()) {
                errors.add("No release other than " + from + " ever succeeded in " + environment.name()
                        + " without being rolled back from since: there is no known-good release to return to.");
                return refusedPlan(Operation.ROLLBACK, environment, history, states, from, errors);
            }
            to = good.get();
            why = "last known good release other than " + from;
        } else {
            Optional<ReleaseId> chosen = resolve(selector, history, environment, errors);
            if (chosen.isEmpty()) {
                return refusedPlan(Operation.ROLLBACK, environment, history, states, from, errors);
            }
            to = chosen.get();
            why = describe(selector);
        }
        if (!history.everSucceeded(to)) {
            blockers.add("Release " + to + " never succeeded in " + environment.name() + lastAttempt(history, to)
                    + ". Pass --force to roll back to it anyway.");
        }
        if (!to.equals(from)) {
            for (ReleaseId crossed : history.liveSince(to).orElse(List.of())) {
                Optional<Release> release = history.release(crossed);
                if (release.isPresent() && release.get().declaresIrreversibleChange()) {
                    blockers.add("Rolling back to " + to + " crosses " + crossed + ", which declares "
                            + String.join(" and ", irreversibleFacts(release.get())) + ": " + to
                            + " may not work with the changes " + crossed
                            + " made. Roll forward with a fix instead, or pass --force if " + to
                            + " is known to cope.");
                }
            }
        }
        return finish(
                Operation.ROLLBACK,
                environment,
                history,
                states,
                from,
                to,
                why,
                blockers,
                errors,
                force,
                artifactsKept);
    }

    /**
     * Plan for returning to a newer release after a rollback: by default the release most recently
     * rolled back from. Refused without {@code force} when that release's last deployment failed.
     */
    public static DeploymentPlan rollForward(
            Environment environment,
            History history,
            List<TargetState> states,
            ReleaseSelector selector,
            boolean force,
            Predicate<ReleaseId> artifactsKept) {
        ReleaseId from = history.current().orElse(null);
        List<String> errors = new ArrayList<>();
        List<String> blockers = new ArrayList<>();
        String why;
        ReleaseId to;
        if (selector instanceof ReleaseSelector.Default) {
            Optional<ReleaseId> back = history.lastRolledBackFrom();
            if (back.isEmpty()) {
                errors.add("Nothing was rolled back in " + environment.name()
                        + ": there is nothing to roll forward to. Deploy a new release instead.");
                return refusedPlan(Operation.ROLL_FORWARD, environment, history, states, from, errors);
            }
            to = back.get();
            why = "release most recently rolled back from";
        } else {
            Optional<ReleaseId> chosen = resolve(selector, history, environment, errors);
            if (chosen.isEmpty()) {
                return refusedPlan(Operation.ROLL_FORWARD, environment, history, states, from, errors);
            }
            to = chosen.get();
            why = describe(selector);
        }
        Optional<DeploymentRecord> last = history.lastAttemptToShip(to);
        if (last.isPresent() && last.get().outcome() != Outcome.SUCCEEDED) {
            blockers.add("The last deployment of " + to + " to " + environment.name() + " ended "
                    + last.get().outcome()
                    + (last.get().cause() == null ? "" : " (" + last.get().cause() + ")")
                    + ". Pass --force to roll forward to it anyway.");
        }
        return finish(
                Operation.ROLL_FORWARD,
                environment,
                history,
                states,
                from,
                to,
                why,
                blockers,
                errors,
                force,
                artifactsKept);
    }

    private static DeploymentPlan finish(
            Operation operation,
            Environment environment,
            History history,
            List<TargetState> states,
            ReleaseId from,
            ReleaseId to,
            String why,
            List<String> blockers,
            List<String> errors,
            boolean force,
            Predicate<ReleaseId> artifactsKept) {
        Optional<Release> release = history.release(to);
        if (release.isEmpty()) {
            errors.add("Release " + to
                    + " is not in the release catalog: its content is unknown, so it cannot be verified or staged.");
        }
        List<TargetStep> steps = new ArrayList<>();
        for (TargetState state : states) {
            release.ifPresent(r -> conflict(state, r).ifPresent(errors::add));
            TargetAction action = release.isPresent()
                    ? actionFor(state, release.get(), TargetAction.REDEPLOY)
                    : TargetAction.REDEPLOY;
            if (action == TargetAction.REDEPLOY && !artifactsKept.test(to)) {
                errors.add(
                        "Release " + to + " is no longer on " + state.target()
                                + " and its artifacts are not kept, so it cannot be staged again. Deploy it from its artifacts instead.");
            }
            steps.add(new TargetStep(state.target(), state.current(), action));
        }
        List<String> warnings = mixedWarnings(history, states, from);
        return new DeploymentPlan(
                operation,
                environment.name(),
                from,
                to,
                why,
                steps,
                hooks(environment, operation),
                operation != Operation.ROLLBACK && !environment.healthChecks().isEmpty(),
                warnings,
                blockers,
                errors,
                force);
    }

    private static DeploymentPlan refusedPlan(
            Operation operation,
            Environment environment,
            History history,
            List<TargetState> states,
            ReleaseId from,
            List<String> errors) {
        List<TargetStep> steps = states.stream()
                .map(s -> new TargetStep(s.target(), s.current(), TargetAction.ALREADY_LIVE))
                .toList();
        return new DeploymentPlan(
                operation,
                environment.name(),
                from,
                null,
                null,
                steps,
                hooks(environment, operation),
                false,
                mixedWarnings(history, states, from),
                List.of(),
                errors,
                false);
    }

    private static Optional<ReleaseId> resolve(
            ReleaseSelector selector, History history, Environment environment, List<String> errors) {
        if (selector instanceof ReleaseSelector.ById byId) {
            if (history.recordsOf(byId.id()).isEmpty()) {
                errors.add("Release " + byId.id() + " was never deployed to " + environment.name()
                        + ": deploy it instead.");
                return Optional.empty();
            }
            return Optional.of(byId.id());
        }
        if (selector instanceof ReleaseSelector.ByBuild byBuild) {
            Optional<ReleaseId> release = history.releaseOfBuild(byBuild.build());
            if (release.isEmpty()) {
                errors.add("No release from build " + byBuild.build() + " was ever deployed to " + environment.name()
                        + ".");
            }
            return release;
        }
        throw new IllegalArgumentException("the default selector names no single release");
    }

    private static String describe(ReleaseSelector selector) {
        if (selector instanceof ReleaseSelector.ById byId) {
            return "release " + byId.id() + " requested";
        }
        if (selector instanceof ReleaseSelector.ByBuild byBuild) {
            return "release of build " + byBuild.build() + " requested";
        }
        return "default";
    }

    private static String lastAttempt(History history, ReleaseId release) {
        return history.lastAttemptToShip(release)
                .map(r -> " (its last deployment ended " + r.outcome() + (r.cause() == null ? "" : ": " + r.cause())
                        + ")")
                .orElse("");
    }

    /** A folder with the release's id but other content (or not staged by us) is never overwritten. */
    private static Optional<String> conflict(TargetState state, Release release) {
        return state.release(release.id())
                .filter(present -> !release.content().digest().equals(present.digest()))
                .map(
                        present -> "Target " + state.target() + " already has releases/" + release.id() + " with "
                                + (present.digest() == null ? "content not staged by Deploy Rollback" : "other content")
                                + ": release ids are immutable, so it is never overwritten. Deploy under a new release id, or remove that folder if it is not in use.");
    }

    private static TargetAction actionFor(TargetState state, Release release, TargetAction whenAbsent) {
        if (release.id().equals(state.current())) {
            return TargetAction.ALREADY_LIVE;
        }
        return state.holds(release.id(), release.content().digest()) ? TargetAction.SWITCH : whenAbsent;
    }

    private static List<PlannedHook> hooks(Environment environment, Operation operation) {
        List<PlannedHook> hooks = new ArrayList<>();
        for (Hook hook : environment.hooks()) {
            hooks.add(new PlannedHook(
                    hook.name(), hook.phase(), hook.runOn(), hook.runOn().includes(operation.hookMode())));
        }
        return hooks;
    }

    private static List<String> mixedWarnings(History history, List<TargetState> states, ReleaseId recorded) {
        List<String> warnings = new ArrayList<>(history.problems());
        for (TargetState state : states) {
            if (state.current() == null && recorded != null) {
                warnings.add("target " + state.target() + " serves nothing yet; the history records " + recorded
                        + " as live");
            } else if (state.current() != null && !state.current().equals(recorded)) {
                warnings.add("target " + state.target() + " serves " + state.current() + " but the history records "
                        + (recorded == null ? "nothing" : recorded)
                        + " as live: an earlier operation was interrupted, or the target was changed by hand");
            }
            state.problems().forEach(p -> warnings.add("target " + state.target() + ": " + p));
        }
        return warnings;
    }

    private static List<String> irreversibleFacts(Release release) {
        return release.facts().stream()
                .filter(f -> f.equals(Release.SCHEMA_MIGRATION) || f.equals(Release.BREAKING_CHANGE))
                .toList();
    }
}
