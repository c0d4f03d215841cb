package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.Retrying;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * How one session works on its host: over one connection, opened on first use (or taken from the
 * target's pool) and opened again when lost, each step retried with backoff while its failure may
 * pass; each of the engine's {@link Scripts} run with the target's root as its first argument; and
 * the ledger lines those scripts append.
 */
final class HostSteps {
    /** One step on the host, run again on a new connection when its failure may pass. */
    @FunctionalInterface
    interface Step<T> {
        T run(SshConnection connection) throws IOException;
    }

    private final SshTarget target;
    private final OperationContext context;
    private final SecretMask mask;
    private final Retrying.Pause pause;
    private SshConnection connection;

    HostSteps(SshTarget target, OperationContext context, Retrying.Pause pause) {
        this.target = target;
        this.context = context;
        this.mask = new SecretMask(target.credentials());
        this.pause = pause;
    }

    /** Runs {@code step} on a live connection, reconnecting and retrying when the failure may pass. */
    <T> T attempt(String what, Step<T> step) throws IOException {
        return Retrying.call(
                target.settings().retry(),
                SshFailure::isTransient,
                (retry, attempts, cause, delay) ->
                        context.progress().retrying(target.name(), what, retry, attempts, cause.getMessage(), delay),
                pause,
                () -> step.run(connection()));
    }

    /** The connection, opened (or taken from the pool) when there is none or it was lost. */
    synchronized SshConnection connection() throws IOException {
        if (connection != null && !connection.isConnected()) {
            connection.close();
            connection = null;
        }
        if (connection == null) {
            Consumer<String> accepted = key -> context.progress()
                    .warn("Trusted the host key of " + target.name() + " on first use and recorded it: " + key);
            SshConnectionPool pool = target.pool();
            connection = pool == null ? SshConnection.open(target, mask, accepted) : pool.take(target, mask, accepted);
            if (context.operation() == Operation.DEPLOY) {
                connection.openSftpSoon();
            }
        }
        return connection;
    }

    /** Runs a script and returns its result, whatever its exit status. */
    ControlShell.Result script(SshConnection c, String script, String name, String... args) throws IOException {
        List<String> all = new ArrayList<>();
        all.add(target.root());
        all.addAll(List.of(args));
        return c.run(script, "deploy-rollback-" + name, all);
    }

    /** Runs a script that must succeed. */
    ControlShell.Result check(SshConnection c, String script, String name, String... args) throws IOException {
        ControlShell.Result result = script(c, script, name, args);
        if (!result.ok()) {
            throw failed(name, result);
        }
        return result;
    }

    /** The failure of {@code step}, with what the script said on standard error. */
    IOException failed(String step, ControlShell.Result result) {
        String err = result.err().trim();
        return new IOException(step + " on " + target.name() + " failed (exit " + result.status() + ")"
                + (err.isEmpty() ? "" : ": " + err));
    }

    /** The ledger line of {@code event}, as the scripts append it. */
    String ledgerLine(String event, ReleaseId from, ReleaseId to, String detail) throws IOException {
        return Json.mapper().writeValueAsString(context.ledgerEntry(event, from, to, detail));
    }

    /** Appends the ledger line of {@code event} on its own. */
    void appendLedger(SshConnection c, String event, ReleaseId from, ReleaseId to, String detail) throws IOException {
        check(c, Scripts.APPEND_LEDGER, "ledger", ledgerLine(event, from, to, detail));
    }

    /** Gives the connection back to the pool, or closes it when the target keeps none. */
    synchronized void close() {
        if (connection != null) {
            if (target.pool() == null) {
                connection.close();
            } else {
                target.pool().give(connection);
            }
            connection = null;
        }
    }
}
