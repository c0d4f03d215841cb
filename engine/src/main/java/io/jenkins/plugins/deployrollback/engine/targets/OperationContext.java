package io.jenkins.plugins.deployrollback.engine.targets;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.Machine;
import io.jenkins.plugins.deployrollback.engine.support.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Who is doing what to which environment, for a target's lock and ledger.
 *
 * @param secrets what a hook on this machine must not get in its environment, and what is masked in
 *     every hook's output
 */
public record OperationContext(
        EnvironmentName environment,
        Operation operation,
        String actor,
        Clock clock,
        ProgressListener progress,
        Secrets secrets) {

    public OperationContext {
        secrets = secrets == null ? Secrets.NONE : secrets;
    }

    /** An operation with no secret to keep from hooks. */
    public OperationContext(
            EnvironmentName environment, Operation operation, String actor, Clock clock, ProgressListener progress) {
        this(environment, operation, actor, clock, progress, Secrets.NONE);
    }

    /** A line for a target's ledger: {@code event} now, in this operation, by its actor. */
    public LedgerEntry ledgerEntry(String event, ReleaseId from, ReleaseId to, String detail) {
        return new LedgerEntry(clock.instant(), event, environment, operation.label(), actor, from, to, detail);
    }

    /**
     * A new lock for this operation, taken {@code now} by this process for {@code purpose} until {@code
     * ttl} from now, with a token of its own.
     */
    public LockInfo lock(String purpose, Instant now, Duration ttl) {
        return new LockInfo(
                actor,
                Machine.hostName(),
                Machine.pid(),
                Machine.processStart(),
                purpose,
                UUID.randomUUID().toString(),
                now,
                now.plus(ttl),
                null);
    }
}
