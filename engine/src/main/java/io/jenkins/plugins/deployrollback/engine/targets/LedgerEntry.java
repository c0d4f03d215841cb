package io.jenkins.plugins.deployrollback.engine.targets;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.time.Instant;

/**
 * One line of a target's {@code .deploy/ledger}: when, what ({@code stage}, {@code switch},
 * {@code slot}, {@code archive}, {@code remove}, {@code lock-takeover}), for which environment and operation, by
 * whom, from which release to which.
 */
public record LedgerEntry(
        Instant at,
        String event,
        EnvironmentName environment,
        String operation,
        String actor,
        ReleaseId from,
        ReleaseId to,
        String detail) {
    public static final String STAGE = "stage";
    public static final String SWITCH = "switch";
    /** A blue/green slot pointed to a release; the detail names the slot. */
    public static final String SLOT = "slot";

    public static final String ARCHIVE = "archive";
    public static final String REMOVE = "remove";
    public static final String LOCK_TAKEOVER = "lock-takeover";
}
