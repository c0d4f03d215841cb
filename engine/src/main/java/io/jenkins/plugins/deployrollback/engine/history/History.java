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
 * @param interrupted an attempt that began switching and was never recorded, or null
 */
public record History(
        EnvironmentName environment,
        List<DeploymentRecord> records,
        Map<ReleaseId, Release> releases,
        List<String> problems,
        AttemptInProgress interrupted) {

    public History {
        Objects.requireNonNull(environment, "environment");
        records = List.copyOf(records);
        releases = Map.copyOf(releases);
        problems = List.copyOf(problems);
    }

    /** A history without an interrupted attempt. */
    public History(
            EnvironmentName environment,
            List<DeploymentRecord> records,
            Map<ReleaseId, Release> releases,
            List<String> problems) {
        this(environment, records, releases, problems, null);
    }

    /** The attempt that began switching targets and was never recorded, if any. */
    public Optional<AttemptInProgress> interruptedAttempt() {
        return Optional.ofNullable(interrupted);
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
        return new History(environment, more, known, problems, null);
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
            r.abandonedRelease().ifPresent(abandoned::add);
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

    /**
     * The release most recently abandoned by a rollback (manual, or automatic after a failed check),
     * unless a release was shipped successfully since: the default target of a roll-forward.
     */
    public Optional<ReleaseId> lastRolledBackFrom() {
        for (int i = records.size() - 1; i >= 0; i--) {
            DeploymentRecord r = records.get(i);
            Optional<ReleaseId> abandoned = r.abandonedRelease();
            if (abandoned.isPresent()) {
                return abandoned;
            }
            if (r.shippedSuccessfully()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Where {@code release} stands in the order releases went out here: the index of its newest deploy
     * or roll-forward record, or -1 when it never went out. A roll-forward only goes to a release that
     * went out after the live one.
     */
    public int shipOrder(ReleaseId release) {
        for (int i = records.size() - 1; i >= 0; i--) {
            DeploymentRecord r = records.get(i);
            if (r.operation() != Operation.ROLLBACK && r.release().equals(release)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The attempt that left its work unfinished, if the newest thing in this history is one: an attempt
     * interrupted after it began switching (never recorded), or a recorded attempt that FAILED after
     * switching to its release and left it live. Asking for the same operation again completes it.
     */
    public Optional<AttemptInProgress> unfinished() {
        if (interrupted != null) {
            return Optional.of(interrupted);
        }
        return latest().filter(r -> r.outcome() == Outcome.FAILED
                        && r.release().equals(r.live())
                        && !r.release().equals(r.previous()))
                .map(r -> new AttemptInProgress(
                        r.id(), environment, r.operation(), r.release(), r.previous(), r.triggeredBy(), r.startedAt()));
    }

    /**
     * The releases retention must never remove: the live one, the last known good one, the last known
     * good one other than the live one (the default rollback target) and the previous successful one.
     */
    public Set<ReleaseId> releasesToKeep() {
        Set<ReleaseId> keep = new HashSet<>();
        current().ifPresent(keep::add);
        lastKnownGood().ifPresent(keep::add);
        current().flatMap(this::lastKnownGoodOtherThan).ifPresent(keep::add);
        previousSuccessful().ifPresent(keep::add);
        return keep;
    }

    /** This history with catalog entries of releases its records do not name (such as what a target serves unrecorded). */
    public History withReleases(Map<ReleaseId, Release> more) {
        Map<ReleaseId, Release> known = new java.util.HashMap<>(more);
        known.putAll(releases);
        return new History(environment, records, known, problems, interrupted);
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
