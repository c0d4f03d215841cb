package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Done;
import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Results;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The switch of an operation, on the targets of one step: each target's {@code current} to the
 * release, one rename each, all or none; and switching targets back to what each served, when a
 * step fails after some switched.
 */
final class Switching {
    private final OperationScope scope;

    Switching(OperationScope scope) {
        this.scope = scope;
    }

    /**
     * Points the targets of {@code on} to {@code release}, one rename each, all at once. If one fails,
     * no target not yet started is switched, and every target already switched is switched back to
     * what it served before the failure is reported: a failed switch never leaves the environment
     * mixed.
     */
    void switchOver(ReleaseId release, List<TargetSession> on) throws IOException {
        scope.progress()
                .stage(
                        "switch",
                        "Switching "
                                + (on.size() == scope.sessions().size()
                                        ? scope.environment().name()
                                        : TargetSteps.names(TargetSteps.namesOf(on)))
                                + " to " + release);
        List<TargetSession> toSwitch = on.stream()
                .filter(s ->
                        !release.equals(scope.onTargets().journal(s.target()).live()))
                .toList();
        String step = "switching to " + release;
        Results<ReleaseId> switched = scope.onTargets().allOrNothing(step, toSwitch, session -> {
            scope.locks().ensureHeld(session.target());
            ReleaseId was = scope.onTargets().journal(session.target()).live();
            session.switchTo(release);
            scope.onTargets().journal(session.target()).switched(was, release);
            scope.progress()
                    .info(session.target() + ": current -> " + release + (was == null ? "" : " (was " + was + ")"));
            return was;
        });
        if (switched.anyFailed()) {
            // A lost lock was thrown above: switching back is then the business of the lock's new owner.
            List<Done<ReleaseId>> done = switched.succeeded();
            scope.progress()
                    .warn(TargetSteps.names(
                                    switched.failed().stream().map(Done::target).toList())
                            + " could not be switched to " + release
                            + (done.isEmpty()
                                    ? ""
                                    : "; switching the " + Text.count(done.size(), "target")
                                            + " already switched back"));
            throw new IOException(scope.onTargets().summary(step, switched) + switchBack(done));
        }
    }

    /**
     * Switches the targets of {@code switched} back to the release each served before (its value), all
     * of them, in parallel. Returns what to add to the failure's message.
     */
    String switchBack(List<Done<ReleaseId>> switched) throws IOException {
        if (switched.isEmpty()) {
            return "";
        }
        Map<String, ReleaseId> before = new HashMap<>();
        switched.forEach(d -> before.put(d.target(), d.value()));
        Results<Boolean> back = scope.onTargets()
                .everyTarget(
                        switched.stream().map(d -> scope.session(d.target())).toList(), session -> {
                            ReleaseId was = before.get(session.target());
                            ReleaseId now =
                                    scope.onTargets().journal(session.target()).live();
                            if (was == null) {
                                scope.progress()
                                        .warn(session.target() + " had no release live before; it stays on " + now);
                                return false;
                            }
                            session.switchTo(was);
                            scope.onTargets().journal(session.target()).switched(now, was);
                            scope.progress().info(session.target() + ": current -> " + was + " (switched back)");
                            return true;
                        });
        List<String> switchedBack =
                back.succeeded().stream().filter(Done::value).map(Done::target).toList();
        StringBuilder told = new StringBuilder();
        if (!switchedBack.isEmpty()) {
            told.append(' ')
                    .append(switchedBack.size() == 1 ? "The target" : "The targets")
                    .append(" already switched ")
                    .append(switchedBack.size() == 1 ? "was" : "were")
                    .append(" switched back: ")
                    .append(TargetSteps.names(switchedBack))
                    .append('.');
        }
        for (Done<Boolean> failed : back.failed()) {
            TargetJournal journal = scope.onTargets().journal(failed.target());
            journal.failed("switching back to " + before.get(failed.target()) + " failed: "
                    + scope.onTargets().why(failed));
            scope.progress()
                    .warn(failed.target() + ": switching back to " + before.get(failed.target()) + " failed: "
                            + scope.onTargets().why(failed));
            told.append(" Switching ")
                    .append(failed.target())
                    .append(" back to ")
                    .append(before.get(failed.target()))
                    .append(" failed (")
                    .append(scope.onTargets().why(failed))
                    .append("): it still serves ")
                    .append(journal.live())
                    .append('.');
        }
        return told.toString();
    }
}
