package io.jenkins.plugins.deployrollback.engine.history;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The ordered records of one environment, oldest first, and the answers derived from them: the live
 * release, the last known good release, the release most recently rolled back from. Nothing here is
 * stored; every answer is computed from the records.
 *
 * @param releases the catalog entries of the releases the records name
 * @param problems what went wrong reading the records (a torn final record, an unreadable line)
 */
public record History(
        EnvironmentName environment,
        List<DeploymentRecord> records,
        Map<ReleaseId, Release> releases,
        List<String> problems) {

    public History {
        Objects.requireNonNull(environment, "environment");
        records = List.copyOf(records);
        releases = Map.copyOf(releases);
        problems = List.copyOf(problems);
    }

    /** A history with no records. */
    public static History empty(EnvironmentName environment) {
        return new History(environment, List.of(), Map.of(), List.of());
    }

    /** This history with {@code record} appended (and its release known), as it will read once stored. */
    public History with(DeploymentRecord record, Release release) {
        List<DeploymentRecord> more = new ArrayList<>(records);
        more.add(record);
        Map<ReleaseId, Release> known = new java.util.HashMap<>(releases);
        if (release != null) {
            known.put(release.id(), release);
        }
        return new History(environment, more, known, problems);
    }

    /** The release live after the newest record, if any. */
    public Optional<ReleaseId> current() {
        return records.isEmpty()
                ? Optional.empty()
                : Optional.ofNullable(records.get(records.size() - 1).live());
    }

    /** The newest record, if any. */
    public Optional<DeploymentRecord> latest() {
        return records.isEmpty() ? Optional.empty() : Optional.of(records.get(records.size() - 1));
    }

    /**
     * The last release that SUCCEEDED and was not later rolled back from: a later rollback away from
     * it, or a failed check that had it rolled back, disqualifies it until it succeeds again.
     */
    public Optional<ReleaseId> lastKnownGood() {
        return lastKnownGoodExcept(Set.of());
    }

    /**
     * The last known good release other than {@code excluded}: the default target of a rollback away
     * from {@code excluded} (usually the live release).
     */
    public Optional<ReleaseId> lastKnownGoodOtherThan(ReleaseId excluded) {
        return lastKnownGoodExcept(Set.of(excluded));
    }

    private Optional<ReleaseId> lastKnownGoodExcept(Set<ReleaseId> excluded) {
        Set<ReleaseId> abandoned = new HashSet<>(excluded);
        for (int i = records.size() - 1; i >= 0; i--) {
            DeploymentRecord r = records.get(i);
            if (r.outcome() == Outcome.SUCCEEDED && !abandoned.contains(r.release())) {
                return Optional.of(r.release());
            }
            if (r.operation() == Operation.ROLLBACK && r.outcome() == Outcome.SUCCEEDED && r.previous() != null) {
                abandoned.add(r.previous());
            }
            if (r.outcome() == Outcome.ROLLED_BACK) {
                abandoned.add(r.release());
            }
        }
        return Optional.empty();
    }

    /** The newest release that SUCCEEDED other than the live one, whether or not it was rolled back from since. */
    public Optional<ReleaseId> previousSuccessful() {
        ReleaseId live = current().orElse(null);
        for (int i = records.size() - 1; i >= 0; i--) {
            DeploymentRecord r = records.get(i);
            if (r.outcome() == Outcome.SUCCEEDED && !r.release().equals(live)) {
                return Optional.of(r.release());
            }
        }
        return Optional.empty();
    }

    /** The release most recently abandoned by a rollback: the default target of a roll-forward. */
    public Optional<ReleaseId> lastRolledBackFrom() {
        for (int i = records.size() - 1; i >= 0; i--) {
            DeploymentRecord r = records.get(i);
            if (r.operation() == Operation.ROLLBACK && r.outcome() == Outcome.SUCCEEDED && r.previous() != null) {
                return Optional.of(r.previous());
            }
            if (r.outcome() == Outcome.ROLLED_BACK) {
                return Optional.of(r.release());
            }
        }
        return Optional.empty();
    }

    /** The newest deploy or roll-forward of {@code release}: how its last attempt to go live ended. */
    public Optional<DeploymentRecord> lastAttemptToShip(ReleaseId release) {
        for (int i = records.size() - 1; i >= 0; i--) {
            DeploymentRecord r = records.get(i);
            if (r.release().equals(release) && r.operation() != Operation.ROLLBACK) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** True when {@code release} ever SUCCEEDED in this environment. */
    public boolean everSucceeded(ReleaseId release) {
        return records.stream()
                .anyMatch(r -> r.outcome() == Outcome.SUCCEEDED && r.release().equals(release));
    }

    /** The records that moved to or from {@code release}, oldest first. */
    public List<DeploymentRecord> recordsOf(ReleaseId release) {
        return records.stream()
                .filter(r -> release.equals(r.release()) || release.equals(r.previous()))
                .toList();
    }

    /** The newest release recorded here that came from {@code build}. */
    public Optional<ReleaseId> releaseOfBuild(String build) {
        for (int i = records.size() - 1; i >= 0; i--) {
            Release release = releases.get(records.get(i).release());
            if (release != null && build.equals(release.sourceBuild())) {
                return Optional.of(release.id());
            }
        }
        return Optional.empty();
    }

    /**
     * The releases that went live after {@code release} was last live, the live one included: what a
     * return to {@code release} would undo. Empty when {@code release} was never live here.
     */
    public Optional<List<ReleaseId>> liveSince(ReleaseId release) {
        int last = -1;
        for (int i = 0; i < records.size(); i++) {
            if (release.equals(records.get(i).live())) {
                last = i;
            }
        }
        if (last < 0) {
            return Optional.empty();
        }
        Set<ReleaseId> since = new LinkedHashSet<>();
        for (int i = last + 1; i < records.size(); i++) {
            ReleaseId live = records.get(i).live();
            if (live != null && !live.equals(release)) {
                since.add(live);
            }
        }
        return Optional.of(List.copyOf(since));
    }

    /** The catalog entry of {@code id}, if any record names it. */
    public Optional<Release> release(ReleaseId id) {
        return Optional.ofNullable(releases.get(id));
    }
}
