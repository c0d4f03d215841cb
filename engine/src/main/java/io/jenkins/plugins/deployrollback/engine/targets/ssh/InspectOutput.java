package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.targets.LedgerEntry;
import io.jenkins.plugins.deployrollback.engine.targets.LedgerSummary;
import io.jenkins.plugins.deployrollback.engine.targets.LockInfo;
import io.jenkins.plugins.deployrollback.engine.targets.StagedRelease;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLayout;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the host's INSPECT script printed, read into a {@link TargetState}: the lines of {@link
 * Scripts#INSPECT} one by one, each odd thing found a problem of the state, never an exception; only
 * a lock file that cannot be read stops it (nobody may guess whether it is held).
 */
final class InspectOutput {
    private final SshTarget target;

    InspectOutput(SshTarget target) {
        this.target = target;
    }

    /** The state INSPECT printed ({@code out}). */
    TargetState state(String out) throws IOException {
        List<String> problems = new ArrayList<>();
        ReleaseId current = null;
        String currentText = null;
        Map<String, String> digests = new HashMap<>();
        Map<ReleaseId, Instant> modified = new HashMap<>();
        List<ReleaseId> folders = new ArrayList<>();
        LockInfo lock = null;
        Map<String, ReleaseId> slots = new HashMap<>();
        String[] lines = out.split("\n", -1);
        int i = 0;
        for (; i < lines.length; i++) {
            String line = lines[i];
            if (line.equals("G")) {
                i++;
                break;
            }
            if (line.startsWith("C ")) {
                currentText = line.substring(2);
                current = TargetLayout.releaseOfLink(currentText);
                if (current == null) {
                    problems.add("current points to " + currentText + ", which is not a release folder of this target");
                }
            } else if (line.equals("N")) {
                problems.add(TargetLayout.CURRENT_NOT_A_LINK);
            } else if (line.equals("W")) {
                problems.add(TargetLayout.notWritable(target.root()));
            } else if (line.startsWith("R ")) {
                String[] parts = line.split(" ", 4);
                String folder = parts[3];
                ReleaseId id;
                try {
                    id = ReleaseId.of(folder);
                } catch (IllegalArgumentException e) {
                    problems.add("releases/" + folder + " is not a release folder (its name is not a release id)");
                    continue;
                }
                if (!parts[1].equals("d")) {
                    problems.add("releases/" + id + " is not a folder");
                    continue;
                }
                folders.add(id);
                modified.put(id, Instant.ofEpochSecond(seconds(parts[2])));
            } else if (line.startsWith("L ")) {
                lock = lock(line.substring(2));
            } else if (line.startsWith("S ")) {
                String[] parts = line.split(" ", 3);
                ReleaseId held = parts.length == 3 ? TargetLayout.releaseOfLink(parts[2]) : null;
                if (held == null) {
                    problems.add("slots/" + parts[1] + " points to " + (parts.length == 3 ? parts[2] : "nothing")
                            + ", which is not a release folder of this target");
                } else {
                    slots.put(parts[1], held);
                }
            } else if (line.length() > 66 && line.charAt(64) == ' ') {
                String path = line.substring(66);
                digests.put(path.substring(path.lastIndexOf('/') + 1), line.substring(0, 64));
            }
        }
        List<LedgerEntry> ledger = ledgerSummary(lines, i, problems);
        Map<ReleaseId, Instant> lastUsed = LedgerSummary.lastUses(ledger);
        LedgerEntry lastSwitch = LedgerSummary.lastSwitch(ledger);
        if (current != null && !folders.contains(current)) {
            problems.add("current points to releases/" + current + ", which is missing");
        }
        List<StagedRelease> releases = new ArrayList<>();
        for (ReleaseId id : folders) {
            releases.add(new StagedRelease(id, digests.get(id.value()), lastUsed.getOrDefault(id, modified.get(id))));
        }
        releases.sort(Comparator.comparing(StagedRelease::lastUsed));
        return new TargetState(target.name(), current, releases, lock, problems, slots, lastSwitch);
    }

    /**
     * The ledger lines INSPECT picked on the host (each release's last stage or switch, the last switch),
     * from {@code lines[from]} on, in ledger order; what it found unreadable or torn goes to {@code problems}.
     */
    private List<LedgerEntry> ledgerSummary(String[] lines, int from, List<String> problems) {
        String source = target.name() + ":" + target.root() + "/" + TargetLayout.LEDGER;
        TreeMap<Long, LedgerEntry> picked = new TreeMap<>();
        for (int i = from; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#unreadable ")) {
                problems.add(source + ": line " + line.substring("#unreadable ".length())
                        + " is unreadable and was ignored (not a JSON object)");
                continue;
            }
            if (line.startsWith("#torn ")) {
                String[] parts = line.split(" ");
                problems.add(source + ": the last record (line " + parts[1] + ", " + parts[2]
                        + " bytes) is incomplete, left by a writer that was interrupted; it was ignored");
                continue;
            }
            int tab = line.indexOf('\t');
            long number = Long.parseLong(line.substring(0, tab));
            try {
                picked.put(number, Json.mapper().readValue(line.substring(tab + 1), LedgerEntry.class));
            } catch (IOException | IllegalArgumentException e) {
                String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("no detail");
                problems.add(source + ": line " + number + " is unreadable and was ignored (" + why + ")");
            }
        }
        return List.copyOf(picked.values());
    }

    /** The whole seconds of find's {@code %T@} ({@code 1733616000.25}). */
    private static long seconds(String stamp) {
        int dot = stamp.indexOf('.');
        return Long.parseLong(dot < 0 ? stamp : stamp.substring(0, dot));
    }

    /** The lock as {@code .deploy/lock} holds it ({@code text}), or null for none. */
    LockInfo lock(String text) throws IOException {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Json.mapper().readValue(text, LockInfo.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(
                    target.address() + "/" + TargetLayout.LOCK + " is unreadable (" + e.getOriginalMessage()
                            + "): if no operation is running on " + target.name() + ", remove it",
                    e);
        }
    }
}
