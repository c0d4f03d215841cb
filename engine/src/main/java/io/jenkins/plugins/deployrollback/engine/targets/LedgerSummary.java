package io.jenkins.plugins.deployrollback.engine.targets;

import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What inspecting a target needs of its ledger, read from the end: for each release on the target,
 * its last {@code stage} or {@code switch} line, and the last {@code switch} line; nothing further back
 * than the oldest of those. A target with years of history is then inspected as fast as a new one.
 * Unreadable lines met on the way, and a torn last line, go to the problems with their line numbers.
 * The SSH target does the same on the host, in its inspect script.
 */
public final class LedgerSummary {
    private static final Pattern USE = Pattern.compile("\"event\":\"(stage|switch)\"");
    private static final Pattern SWITCH = Pattern.compile("\"event\":\"switch\"");
    private static final Pattern TO = Pattern.compile(",\"to\":\"([^\"]*)\"");
    private static final Pattern OBJECT = Pattern.compile("\\{.*}[ \\t\\r]*");

    private LedgerSummary() {}

    /**
     * The lines of {@code ledger} (its whole content) that inspecting needs, in ledger order.
     *
     * @param source how problems name the ledger
     */
    public static List<LedgerEntry> of(
            byte[] ledger, Collection<ReleaseId> present, String source, List<String> problems) {
        Set<String> wanted = new HashSet<>();
        present.forEach(id -> wanted.add(id.value()));
        int end = ledger.length;
        int lines = 0;
        for (byte b : ledger) {
            if (b == '\n') {
                lines++;
            }
        }
        if (end > 0 && ledger[end - 1] != '\n') {
            int start = lastLineStart(ledger, end);
            problems.add(source + ": the last record (line " + (lines + 1) + ", " + (end - start)
                    + " bytes) is incomplete, left by a writer that was interrupted; it was ignored");
            end = start;
        }
        List<LedgerEntry> picked = new ArrayList<>();
        boolean switched = false;
        Set<String> used = new HashSet<>();
        int number = lines;
        while (end > 0 && !(switched && used.size() >= wanted.size())) {
            int start = lastLineStart(ledger, end - 1);
            String line = new String(ledger, start, end - 1 - start, StandardCharsets.UTF_8);
            end = start;
            int at = number--;
            if (line.isBlank()) {
                continue;
            }
            if (!OBJECT.matcher(line).matches()) {
                problems.add(source + ": line " + at + " is unreadable and was ignored (not a JSON object)");
                continue;
            }
            boolean pick = false;
            if (!switched && SWITCH.matcher(line).find()) {
                switched = true;
                pick = true;
            }
            Matcher to = TO.matcher(line);
            if (USE.matcher(line).find() && to.find() && wanted.contains(to.group(1)) && used.add(to.group(1))) {
                pick = true;
            }
            if (pick) {
                try {
                    picked.add(0, Json.mapper().readValue(line, LedgerEntry.class));
                } catch (java.io.IOException | IllegalArgumentException e) {
                    String why =
                            String.valueOf(e.getMessage()).lines().findFirst().orElse("no detail");
                    problems.add(source + ": line " + at + " is unreadable and was ignored (" + why + ")");
                }
            }
        }
        return picked;
    }

    /** Where the line ending just before {@code end} (exclusive) starts. */
    private static int lastLineStart(byte[] bytes, int end) {
        int i = end;
        while (i > 0 && bytes[i - 1] != '\n') {
            i--;
        }
        return i;
    }

    /** When each release was last staged or switched to, by the {@code entries}' order. */
    public static Map<ReleaseId, Instant> lastUses(List<LedgerEntry> entries) {
        Map<ReleaseId, Instant> lastUsed = new HashMap<>();
        for (LedgerEntry entry : entries) {
            if (entry.to() != null
                    && (LedgerEntry.STAGE.equals(entry.event()) || LedgerEntry.SWITCH.equals(entry.event()))) {
                lastUsed.put(entry.to(), entry.at());
            }
        }
        return lastUsed;
    }

    /** The last {@code switch} of {@code entries}, or null. */
    public static LedgerEntry lastSwitch(List<LedgerEntry> entries) {
        LedgerEntry last = null;
        for (LedgerEntry entry : entries) {
            if (LedgerEntry.SWITCH.equals(entry.event())) {
                last = entry;
            }
        }
        return last;
    }
}
