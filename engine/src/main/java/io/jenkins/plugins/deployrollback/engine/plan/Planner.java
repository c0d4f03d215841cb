package io.jenkins.plugins.deployrollback.engine.plan;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.history.AttemptInProgress;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.History;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLayout;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides plans from the history and the targets' state, changing nothing. The same planner serves
 * the {@code plan} command, the confirmation page of "Roll back to this build" and the operations
 * themselves (which plan again under the lock, so what runs is what the state is then).
 *
 * <p>"Live now" is what the targets serve when they agree, even when the history says otherwise: an
 * operation interrupted between its switch and its record leaves the targets on a release the
 * history does not know is live, and a rollback from there must cross (and check) that release. The
 * same operation asked for again instead completes the interrupted one, from where it started.
 */
public final class Planner {
    private Planner() {}

    /** Plan for putting {@code release} live. */
    public static DeploymentPlan deploy(
            Environment environment, History history, List<TargetState> states, Release release) {
        Live live = Live.of(history, states);
        Optional<AttemptInProgress> resumed = history.unfinished()
                .filter(a -> a.operation() == Operation.DEPLOY && a.release().equals(release.id()));
        ReleaseId from = resumed.map(AttemptInProgress::previous).orElse(live.release());
        List<String> warnings = new ArrayList<>(warnings(history, states, live, resumed));
        if (live.mixed() && resumed.isEmpty()) {
            warnings.add(
                    0,
                    "the targets serve different releases (" + live.describeTargets() + "): this deploy brings"
                            + " every target to " + release.id());
        }
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
            currentNotALink(state).ifPresent(errors::add);
            steps.add(new TargetStep(state.target(), state.current(), actionFor(state, release, TargetAction.STAGE)));
        }
        return new DeploymentPlan(
                Operation.DEPLOY,
                environment.name(),
                from,
                release.id(),
                resumed.map(a -> "completing the unfinished " + a.describe()).orElse("deploy requested"),
                steps,
                hooks(environment, Operation.DEPLOY),
                !environment.gates().isEmpty(),
                settled(history, release.id()),
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
        Live live = Live.of(history, states);
        Optional<AttemptInProgress> resumed = resumable(history, Operation.ROLLBACK, selector);
        List<String> errors = new ArrayList<>();
        Optional<Choice> chosen = choose(environment, history, live, resumed, selector, errors, from -> {
            if (live.mixed()) {
                // An operation stopped between target switches: converge on the release known to work.
                // When the history records a live release (a rolling deploy that left some targets
                // behind), that release is what is rolled back from.
                ReleaseId recorded = history.current().orElse(null);
                Optional<ReleaseId> good = history.unfinished().isPresent() || recorded == null
                        ? history.lastKnownGood()
                        : history.lastKnownGoodOtherThan(recorded);
                if (good.isEmpty()) {
                    errors.add("The targets serve different releases (" + live.describeTargets()
                            + ") and no release ever succeeded in " + environment.name()
                            + ": name the release to bring them all to with --to.");
                    return Optional.empty();
                }
                return Optional.of(new Choice(
                        good.get(),
                        live.leaving(good.get(), history),
                        "the targets serve different releases (" + live.describeTargets()
                                + "): bringing every target to the last known good release " + good.get()));
            }
            if (from == null) {
                errors.add("Nothing is live in " + environment.name() + ": there is nothing to roll back.");
                return Optional.empty();
            }
            Optional<ReleaseId> good = history.lastKnownGoodOtherThan(from);
            if (good.isEmpty()) {
                errors.add("No release other than " + from + " ever succeeded in " + environment.name()
                        + " without being rolled back from since: there is no known-good release to return to.");
            }
            return good.map(to -> new Choice(to, from, "last known good release other than " + from));
        });
        if (chosen.isEmpty()) {
            return refusedPlan(Operation.ROLLBACK, environment, history, states, live, errors);
        }
        ReleaseId to = chosen.get().to();
        List<String> blockers = new ArrayList<>();
        if (!history.everSucceeded(to)) {
            blockers.add("Release " + to + " never succeeded in " + environment.name() + lastAttempt(history, to)
                    + ". Pass --force to roll back to it anyway; its gates will run.");
        }
        for (ReleaseId crossed : crossedOnTheWayBackTo(to, chosen.get().from(), history, live)) {
            Optional<Release> release = history.release(crossed);
            if (release.isPresent() && release.get().declaresIrreversibleChange()) {
                blockers.add("Rolling back to " + to + " crosses " + crossed + ", which declares "
                        + String.join(" and ", irreversibleFacts(release.get())) + ": " + to
                        + " may not work with the changes " + crossed
                        + " made. Roll forward with a fix instead, or pass --force if " + to + " is known to cope.");
            }
        }
        // A release that never passed its gates here is checked even on the way back; others only when
        // the environment asks for rollbacks to be verified (a rollback must be fast).
        boolean check = !environment.gates().isEmpty()
                && (!history.everSucceeded(to) || environment.gatePolicy().verifyAfterRollback());
        return finish(
                Operation.ROLLBACK,
                environment,
                history,
                states,
                live,
                resumed,
                chosen.get(),
                check,
                blockers,
                errors,
                force,
                artifactsKept);
    }

    /**
     * Plan for returning to a newer release after a rollback: by default the release most recently
     * rolled back from, as long as nothing was deployed since. Refused without {@code force} when that
     * release's last deployment failed; impossible when it went out before the live one (that is a
     * rollback, with the rollback's checks).
     */
    public static DeploymentPlan rollForward(
            Environment environment,
            History history,
            List<TargetState> states,
            ReleaseSelector selector,
            boolean force,
            Predicate<ReleaseId> artifactsKept) {
        Live live = Live.of(history, states);
        Optional<AttemptInProgress> resumed = resumable(history, Operation.ROLL_FORWARD, selector);
        List<String> errors = new ArrayList<>();
        Optional<Choice> chosen = choose(environment, history, live, resumed, selector, errors, from -> {
            if (live.mixed()) {
                errors.add("The targets serve different releases (" + live.describeTargets() + "). Run rollback to"
                        + " bring them all to the last known good release"
                        + history.lastKnownGood().map(r -> " " + r).orElse("")
                        + history.unfinished()
                                .map(a -> ", run the interrupted "
                                        + a.operation().label() + " of " + a.release() + " again to complete it")
                                .orElse("")
                        + ", or name the release to bring them all to with --to.");
                return Optional.empty();
            }
            Optional<ReleaseId> back = history.lastRolledBackFrom();
            if (back.isEmpty()) {
                errors.add(
                        "Nothing was rolled back in " + environment.name()
                                + " since the last successful deployment: there is nothing to roll forward to. Deploy a new release instead.");
            }
            return back.map(to -> new Choice(to, from, "release most recently rolled back from"));
        });
        if (chosen.isEmpty()) {
            return refusedPlan(Operation.ROLL_FORWARD, environment, history, states, live, errors);
        }
        ReleaseId to = chosen.get().to();
        ReleaseId from = chosen.get().from();
        if (from != null && !from.equals(to) && history.shipOrder(to) < shipOrderOfLive(history, from)) {
            errors.add("Release " + to + " went out before the live " + from
                    + ": going to it is a rollback. Use rollback --to " + to + ", which checks what it crosses.");
        }
        List<String> blockers = new ArrayList<>();
        Optional<DeploymentRecord> last = history.lastAttemptToShip(to);
        if (last.isPresent() && last.get().outcome() != Outcome.SUCCEEDED && !resumed.isPresent()) {
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
                live,
                resumed,
                chosen.get(),
                !environment.gates().isEmpty(),
                blockers,
                errors,
                force,
                artifactsKept);
    }

    /** Where a rollback or roll-forward goes, the release it leaves, and why. */
    private record Choice(ReleaseId to, ReleaseId from, String why) {}

    /** How the default target is found, given the release being left. */
    private interface DefaultChoice {
        Optional<Choice> choose(ReleaseId from);
    }

    /**
     * The target of a rollback or roll-forward and the release it leaves: an unfinished attempt of the
     * same operation is completed (from where it started); a named release is left from whatever the
     * targets serve; otherwise the operation's default.
     */
    private static Optional<Choice> choose(
            Environment environment,
            History history,
            Live live,
            Optional<AttemptInProgress> resumed,
            ReleaseSelector selector,
            List<String> errors,
            DefaultChoice byDefault) {
        if (resumed.isPresent()) {
            return Optional.of(new Choice(
                    resumed.get().release(),
                    resumed.get().previous(),
                    "completing the unfinished " + resumed.get().describe()));
        }
        if (selector instanceof ReleaseSelector.Default) {
            return byDefault.choose(live.release());
        }
        return resolve(selector, history, environment, errors)
                .map(to -> new Choice(to, live.leaving(to, history), describe(selector)));
    }

    /**
     * The ship order of the live release {@code from}; a release the targets serve although the history
     * does not record it as live (an interrupted deploy) went out last of all.
     */
    private static int shipOrderOfLive(History history, ReleaseId from) {
        boolean recorded = from.equals(history.current().orElse(null));
        int order = history.shipOrder(from);
        return recorded && order >= 0 ? order : Integer.MAX_VALUE;
    }

    private static DeploymentPlan finish(
            Operation operation,
            Environment environment,
            History history,
            List<TargetState> states,
            Live live,
            Optional<AttemptInProgress> resumed,
            Choice choice,
            boolean gatesRun,
            List<String> blockers,
            List<String> errors,
            boolean force,
            Predicate<ReleaseId> artifactsKept) {
        ReleaseId to = choice.to();
        Optional<Release> release = history.release(to);
        if (release.isEmpty()) {
            errors.add("Release " + to
                    + " is not in the release catalog: its content is unknown, so it cannot be verified or staged.");
        }
        List<TargetStep> steps = new ArrayList<>();
        for (TargetState state : states) {
            release.ifPresent(r -> conflict(state, r).ifPresent(errors::add));
            currentNotALink(state).ifPresent(errors::add);
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
        return new DeploymentPlan(
                operation,
                environment.name(),
                choice.from(),
                to,
                choice.why(),
                steps,
                hooks(environment, operation),
                gatesRun,
                settled(history, to),
                warnings(history, states, live, resumed),
                blockers,
                errors,
                force);
    }

    private static DeploymentPlan refusedPlan(
            Operation operation,
            Environment environment,
            History history,
            List<TargetState> states,
            Live live,
            List<String> errors) {
        List<TargetStep> steps = states.stream()
                .map(s -> new TargetStep(s.target(), s.current(), TargetAction.ALREADY_LIVE))
                .toList();
        return new DeploymentPlan(
                operation,
                environment.name(),
                live.release(),
                null,
                null,
                steps,
                hooks(environment, operation),
                false,
                true,
                warnings(history, states, live, Optional.empty()),
                List.of(),
                errors,
                false);
    }

    /**
     * The releases a return to {@code to} undoes: those live since {@code to} was last live, and
     * whatever the targets serve now (recorded or not).
     */
    private static Set<ReleaseId> crossedOnTheWayBackTo(ReleaseId to, ReleaseId from, History history, Live live) {
        Set<ReleaseId> crossed = new LinkedHashSet<>(history.liveSince(to).orElse(List.of()));
        crossed.addAll(live.onTargets());
        if (from != null) {
            crossed.add(from);
        }
        crossed.remove(to);
        return crossed;
    }

    /**
     * True when the newest record left {@code release} live, and not as the release of an attempt that
     * FAILED: then putting it live again has nothing to do. False when the history does not record it
     * as live (an operation was interrupted after its switch) or an attempt to put it live FAILED after
     * its switch: its hooks and checks run again, and the result is recorded.
     */
    private static boolean settled(History history, ReleaseId release) {
        return history.latest()
                .map(r -> release.equals(r.live()) && !(r.outcome() == Outcome.FAILED && release.equals(r.release())))
                .orElse(false);
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

    /** A {@code current} that is a real folder can never be switched atomically: refused before any work. */
    private static Optional<String> currentNotALink(TargetState state) {
        return state.problems().contains(TargetLayout.CURRENT_NOT_A_LINK)
                ? Optional.of("On " + state.target() + ", current is a real file or folder, not a link, so it cannot be"
                        + " switched in one step: move it away (its content is not a release Deploy Rollback knows),"
                        + " then run this again. Nothing was changed.")
                : Optional.empty();
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

    /**
     * The unfinished attempt a plan completes: the same operation asked for again, with the default
     * target or the very release it was going to.
     */
    private static Optional<AttemptInProgress> resumable(
            History history, Operation operation, ReleaseSelector selector) {
        return history.unfinished().filter(a -> a.operation() == operation).filter(a -> {
            if (selector instanceof ReleaseSelector.ById byId) {
                return byId.id().equals(a.release());
            }
            if (selector instanceof ReleaseSelector.ByBuild byBuild) {
                return history.releaseOfBuild(byBuild.build())
                        .map(a.release()::equals)
                        .orElse(false);
            }
            return true;
        });
    }

    private static List<String> warnings(
            History history, List<TargetState> states, Live live, Optional<AttemptInProgress> resumed) {
        List<String> warnings = new ArrayList<>(history.problems());
        history.unfinished()
                .filter(a -> resumed.isEmpty())
                .ifPresent(a -> warnings.add(
                        "an earlier " + a.describe() + ", is unfinished: run the same command again to complete it"));
        ReleaseId recorded = history.current().orElse(null);
        if (resumed.isEmpty()
                && !live.mixed()
                && live.release() != null
                && !live.release().equals(recorded)) {
            warnings.add("the targets serve " + live.release() + " but the history records "
                    + (recorded == null ? "nothing" : recorded)
                    + " as live: an earlier operation was interrupted after its switch, or the targets were changed by hand; planning from "
                    + live.release());
        }
        for (TargetState state : states) {
            if (live.mixed() && !Objects.equals(state.current(), recorded)) {
                warnings.add("target " + state.target() + " serves "
                        + (state.current() == null ? "nothing" : state.current())
                        + " but the history records " + (recorded == null ? "nothing" : recorded)
                        + " as live: an earlier operation was interrupted, or the target was changed by hand");
            } else if (!live.mixed() && state.current() == null && live.release() != null) {
                warnings.add("target " + state.target() + " serves nothing yet");
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

    /**
     * What is live now: the release every target serves (targets serving nothing yet aside), else
     * the release the history records. {@code mixed} when the targets serve different releases.
     */
    private record Live(ReleaseId release, Set<ReleaseId> onTargets, boolean mixed, List<TargetState> states) {
        static Live of(History history, List<TargetState> states) {
            Set<ReleaseId> served = new LinkedHashSet<>();
            states.stream().map(TargetState::current).filter(Objects::nonNull).forEach(served::add);
            ReleaseId recorded = history.current().orElse(null);
            if (served.size() == 1) {
                return new Live(served.iterator().next(), served, false, states);
            }
            return new Live(recorded, served, served.size() > 1, states);
        }

        /**
         * The release a move to {@code to} leaves: what the targets serve other than {@code to} — the
         * release of an interrupted attempt first, else the only other one — or the recorded live one.
         */
        ReleaseId leaving(ReleaseId to, History history) {
            Set<ReleaseId> others = new LinkedHashSet<>(onTargets);
            others.remove(to);
            Optional<ReleaseId> interrupted =
                    history.interruptedAttempt().map(AttemptInProgress::release).filter(others::contains);
            if (interrupted.isPresent()) {
                return interrupted.get();
            }
            return others.size() == 1 ? others.iterator().next() : release;
        }

        String describeTargets() {
            return String.join(
                    ", ",
                    states.stream()
                            .map(s -> s.target() + ": " + (s.current() == null ? "nothing" : s.current()))
                            .toList());
        }
    }
}
