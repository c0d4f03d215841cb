package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.engine.flow.DeploymentResult;
import io.jenkins.plugins.deployrollback.engine.flow.EnvironmentStatus;
import io.jenkins.plugins.deployrollback.engine.flow.ReleaseInventory;
import io.jenkins.plugins.deployrollback.engine.gate.CheckVerdict;
import io.jenkins.plugins.deployrollback.engine.gate.GateVerdict;
import io.jenkins.plugins.deployrollback.engine.gate.Measurement;
import io.jenkins.plugins.deployrollback.engine.gate.Verdict;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.History;
import io.jenkins.plugins.deployrollback.engine.plan.DeploymentPlan;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import io.jenkins.plugins.deployrollback.engine.targets.LedgerEntry;
import io.jenkins.plugins.deployrollback.engine.targets.StagedRelease;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Text renderings of results, plans, history and status for people. */
final class Render {
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Render() {}

    static void result(PrintWriter out, DeploymentResult result) {
        String environment = result.environment().value();
        if (!result.changed()) {
            out.println(
                    "Nothing to do: " + result.release() + " is already live on every target of " + environment + ".");
        } else {
            switch (result.outcome()) {
                case SUCCEEDED ->
                    out.println("SUCCEEDED: " + environment + " now serves " + result.live()
                            + (result.previous() == null ? "" : " (was " + result.previous() + ")") + ".");
                case ROLLED_BACK ->
                    out.println("ROLLED_BACK: " + result.release() + " failed and " + environment
                            + " was rolled back to " + result.live() + ".");
                case FAILED ->
                    out.println("FAILED: " + result.operation().label() + " of " + result.release() + " to "
                            + environment + " failed; "
                            + (result.live() == null
                                    ? "the targets do not agree on a live release"
                                    : result.live() + " is live")
                            + ".");
            }
            if (result.cause() != null) {
                out.println("  cause: " + result.cause());
            }
            for (GateVerdict gate : result.gates()) {
                gate(out, gate, "  ");
            }
        }
        out.println("  last known good: " + orNone(result.lastKnownGood()));
        out.flush();
    }

    /** A gate's verdict, each check's, and every measurement behind them. */
    static void gate(PrintWriter out, GateVerdict gate, String indent) {
        gate(out, gate, indent, true);
    }

    /**
     * A gate's verdict and each check's; with {@code allMeasurements} false, only the measurements of
     * the checks that did not pass (the evidence that decided), as history shows them.
     */
    static void gate(PrintWriter out, GateVerdict gate, String indent, boolean allMeasurements) {
        out.println(indent + gate.describe());
        checks(out, gate.checks(), indent + "  ", allMeasurements);
    }

    static void checks(PrintWriter out, List<CheckVerdict> checks, String indent, boolean allMeasurements) {
        for (CheckVerdict check : checks) {
            out.println(indent + check.describe());
            if (allMeasurements || check.verdict() != Verdict.PASS) {
                for (Measurement m : check.measurements()) {
                    out.println(indent + "  " + m.describe() + " [sample " + m.sample() + "]");
                }
            }
        }
    }

    static void plan(PrintWriter out, DeploymentPlan plan) {
        plan.describe().forEach(out::println);
        if (plan.refused()) {
            out.println("This plan would be refused"
                    + (plan.errors().isEmpty() ? "; --force overrides the blockers above." : "."));
        } else if (plan.nothingToDo()) {
            out.println("Nothing to do.");
        }
        out.flush();
    }

    static void history(PrintWriter out, History history, int limit) {
        List<DeploymentRecord> records = history.records();
        int from = Math.max(0, records.size() - limit);
        out.println("History of " + history.environment() + " (" + records.size()
                + (records.size() == 1 ? " record" : " records") + "; live: "
                + orNone(history.current().orElse(null)) + ", last known good: "
                + orNone(history.lastKnownGood().orElse(null)) + ")");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "FINISHED (UTC)", "OPERATION", "RELEASE", "FROM", "OUTCOME", "LIVE", "BY"});
        for (int i = from; i < records.size(); i++) {
            DeploymentRecord r = records.get(i);
            rows.add(new String[] {
                String.valueOf(i + 1),
                when(r.finishedAt()),
                r.operation().label(),
                r.release().value(),
                orNone(r.previous()),
                r.outcome().name(),
                orNone(r.live()),
                r.triggeredBy()
            });
        }
        int[] widths = widths(rows);
        for (int row = 0; row < rows.size(); row++) {
            out.println(line(rows.get(row), widths));
            if (row > 0) {
                DeploymentRecord r = records.get(from + row - 1);
                if (r.cause() != null) {
                    out.println("   cause: " + r.cause());
                }
                for (GateVerdict gate : r.gates()) {
                    out.println("   gate " + gate.describe());
                    checks(out, gate.checks(), "     ", false);
                }
            }
        }
        history.problems().forEach(p -> out.println("WARNING: " + p));
        out.flush();
    }

    static void status(PrintWriter out, EnvironmentStatus status) {
        out.println("Environment " + status.environment() + ": live " + orNone(status.recordedLive())
                + " (recorded), last known good " + orNone(status.lastKnownGood()) + " - " + agreement(status));
        boolean slots = status.targets().stream().anyMatch(t -> !t.slots().isEmpty());
        List<String[]> rows = new ArrayList<>();
        rows.add(columns(
                slots, "TARGET", "LIVE", "SLOTS", "RELEASES ON TARGET (oldest first)", "LOCK", "LAST SWITCH (UTC)"));
        for (TargetState t : status.targets()) {
            rows.add(columns(
                    slots,
                    t.target(),
                    orNone(t.current()),
                    slots(t),
                    String.join(
                            " ",
                            t.releases().stream()
                                    .map(StagedRelease::id)
                                    .map(ReleaseId::value)
                                    .toList()),
                    t.lock() == null ? "-" : t.lock().describe(),
                    lastSwitch(t.lastSwitch())));
        }
        int[] widths = widths(rows);
        rows.forEach(r -> out.println(line(r, widths)));
        if (status.latest() != null) {
            DeploymentRecord r = status.latest();
            out.println("Latest: " + r.operation().label() + " " + r.release() + " by " + r.triggeredBy() + " at "
                    + when(r.finishedAt()) + " UTC: " + r.outcome());
        }
        if (status.unfinished() != null) {
            out.println("Unfinished: " + status.unfinished().describe() + ". Run the same command again to complete it"
                    + (status.lastKnownGood() == null
                            ? "."
                            : ", or run rollback to bring every target back to " + status.lastKnownGood() + "."));
        }
        status.targets().forEach(t -> t.problems().forEach(p -> out.println("WARNING " + t.target() + ": " + p)));
        status.problems().forEach(p -> out.println("WARNING: " + p));
        out.flush();
    }

    /** The {@code releases} table of one environment: a row per release folder per target. */
    static void releases(PrintWriter out, ReleaseInventory inventory) {
        out.println("Environment " + inventory.environment() + ": live " + orNone(inventory.live())
                + " (recorded), last known good " + orNone(inventory.lastKnownGood()) + ", previous "
                + orNone(inventory.previous()));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TARGET", "RELEASE", "VERSION", "SIZE", "FILES", "LAST USED (UTC)", "ARTIFACTS", "NOTES"
        });
        for (ReleaseInventory.Entry e : inventory.releases()) {
            List<String> notes = new ArrayList<>();
            if (e.serving()) {
                notes.add("serving");
            }
            e.slots().forEach(slot -> notes.add("slot " + slot));
            if (e.release().equals(inventory.live())) {
                notes.add("live");
            }
            if (e.release().equals(inventory.lastKnownGood())) {
                notes.add("last known good");
            }
            if (e.release().equals(inventory.previous())) {
                notes.add("previous");
            }
            if (e.keptByRetention()) {
                notes.add("never pruned");
            }
            rows.add(new String[] {
                e.target(),
                e.release().value(),
                orNone(e.version()),
                e.bytes() < 0 ? "?" : Text.bytes(e.bytes()),
                e.bytes() < 0 ? "?" : Integer.toString(e.files()),
                e.lastUsed() == null ? "-" : when(e.lastUsed()),
                e.artifactsKept() ? "kept" : "none",
                notes.isEmpty() ? "-" : String.join(", ", notes)
            });
        }
        if (rows.size() == 1) {
            out.println("No release folder on any target.");
        } else {
            int[] widths = widths(rows);
            rows.forEach(r -> out.println(line(r, widths)));
        }
        inventory.problems().forEach(p -> out.println("WARNING " + p));
        out.flush();
    }

    /**
     * Whether the targets serve what the history records, host by host when they do not:
     * {@code consistent: every target serves r2}, or {@code MIXED: web-1, web-2 serve r2; web-3 serves
     * r1} (targets grouped by the release they serve, in target order).
     */
    static String agreement(EnvironmentStatus status) {
        ReleaseId recorded = status.recordedLive();
        if (status.consistent()) {
            return "consistent: "
                    + (recorded == null ? "no target serves a release yet" : "every target serves " + recorded);
        }
        Map<String, List<String>> byRelease = new LinkedHashMap<>();
        for (TargetState t : status.targets()) {
            byRelease
                    .computeIfAbsent(orNothing(t.current()), r -> new ArrayList<>())
                    .add(t.target());
        }
        if (byRelease.size() == 1) {
            Map.Entry<String, List<String>> only =
                    byRelease.entrySet().iterator().next();
            return "MIXED: "
                    + (only.getValue().size() == 1 ? only.getValue().get(0) + " serves " : "every target serves ")
                    + only.getKey() + ", but the history records "
                    + (recorded == null ? "nothing live" : recorded + " as live");
        }
        List<String> groups = new ArrayList<>();
        byRelease.forEach((release, targets) ->
                groups.add(String.join(", ", targets) + (targets.size() == 1 ? " serves " : " serve ") + release));
        return "MIXED: " + String.join("; ", groups);
    }

    /** {@code blue=r1 green=r2}, or - when the target has no blue/green slots. */
    private static String slots(TargetState target) {
        if (target.slots().isEmpty()) {
            return "-";
        }
        List<String> slots = new ArrayList<>();
        target.slots().forEach((slot, release) -> slots.add(slot + "=" + release));
        return String.join(" ", slots);
    }

    /** {@code r1 -> r2 by alice (deploy) at 2026-11-23 10:00:01}, or - when the ledger records none. */
    static String lastSwitch(LedgerEntry entry) {
        if (entry == null) {
            return "-";
        }
        return orNothing(entry.from()) + " -> " + orNothing(entry.to())
                + (entry.actor() == null ? "" : " by " + entry.actor())
                + (entry.operation() == null ? "" : " (" + entry.operation() + ")")
                + (entry.at() == null ? "" : " at " + when(entry.at()));
    }

    /** The status table's columns, without SLOTS when no target has blue/green slots. */
    private static String[] columns(
            boolean slots, String target, String live, String slot, String releases, String lock, String lastSwitch) {
        return slots
                ? new String[] {target, live, slot, releases, lock, lastSwitch}
                : new String[] {target, live, releases, lock, lastSwitch};
    }

    private static String orNothing(ReleaseId release) {
        return release == null ? "nothing" : release.value();
    }

    private static int[] widths(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        return widths;
    }

    private static String line(String[] row, int[] widths) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            out.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
        }
        return out.toString().stripTrailing();
    }

    static String when(Instant instant) {
        return WHEN.format(instant);
    }

    static String orNone(Object value) {
        return value == null ? "-" : value.toString();
    }
}
