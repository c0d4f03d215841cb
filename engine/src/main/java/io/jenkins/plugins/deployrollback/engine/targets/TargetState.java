package io.jenkins.plugins.deployrollback.engine.targets;

import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a target holds now, read without changing anything: the release {@code current} points to,
 * the release folders present, the lock if one is held, anything odd found, the release each
 * blue/green slot holds, and the last switch its ledger records (when, by whom, in which operation).
 *
 * @param slots the release each slot ({@code blue}, {@code green}) points to; empty outside blue/green
 * @param lastSwitch the newest {@code switch} entry of the target's ledger, or null
 */
public record TargetState(
        String target,
        ReleaseId current,
        List<StagedRelease> releases,
        LockInfo lock,
        List<String> problems,
        Map<String, ReleaseId> slots,
        LedgerEntry lastSwitch) {
    public TargetState {
        releases = List.copyOf(releases);
        problems = List.copyOf(problems);
        slots = slots == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(slots));
    }

    /** A target without blue/green slots whose ledger was not read. */
    public TargetState(
            String target, ReleaseId current, List<StagedRelease> releases, LockInfo lock, List<String> problems) {
        this(target, current, releases, lock, problems, Map.of(), null);
    }

    /**
     * This state after {@code switched} (a {@code switch} entry) and nothing else happened: current is
     * its release, which was last used then. Null when this state had problems a switch may have
     * changed (current missing or not a link), or does not hold that release: then the target must be
     * read again.
     */
    public TargetState switchedTo(ReleaseId release, LedgerEntry switched) {
        if (!problems.isEmpty() || release(release).isEmpty()) {
            return null;
        }
        List<StagedRelease> after = new ArrayList<>();
        for (StagedRelease staged : releases) {
            after.add(
                    staged.id().equals(release) ? new StagedRelease(release, staged.digest(), switched.at()) : staged);
        }
        after.sort(Comparator.comparing(StagedRelease::lastUsed));
        return new TargetState(target, release, after, lock, problems, slots, switched);
    }

    /** The folder of {@code id}, if present. */
    public Optional<StagedRelease> release(ReleaseId id) {
        return releases.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** True when {@code id} is present and was staged with exactly the content of manifest {@code digest}. */
    public boolean holds(ReleaseId id, String digest) {
        return release(id).map(r -> digest.equals(r.digest())).orElse(false);
    }

    /** The slot that holds {@code release}, if one does. */
    public Optional<String> slotOf(ReleaseId release) {
        return slots.entrySet().stream()
                .filter(e -> e.getValue().equals(release))
                .map(Map.Entry::getKey)
                .findFirst();
    }
}
