package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshConnectionPool;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What one command runs with besides its arguments: the environment variables of the person who
 * asked for it, whether they watch a terminal, where an approval is asked, and where SSH connections
 * are kept. A command run by this process's {@code main} gets this process's; one the helper ({@code
 * deploy-rollback daemon}) runs gets its client's, and the helper's connection pool.
 *
 * @param environment the variables configuration secrets, {@code ~} and local commands read
 * @param onATerminal whether the output goes to a terminal a person watches
 * @param terminal where to ask a person, or null when there is no terminal; asked only when needed
 * @param connections where SSH targets keep their connections between commands; null: none kept
 */
record Invocation(
        Map<String, String> environment,
        boolean onATerminal,
        Supplier<ConsoleApprover.Terminal> terminal,
        SshConnectionPool connections) {
    Invocation {
        environment = Map.copyOf(environment);
        Objects.requireNonNull(terminal, "terminal");
    }

    /** This process's variables and terminal, no connections kept. */
    static Invocation thisProcess() {
        return new Invocation(
                System.getenv(), ConsoleProgress.onATerminal(), ConsoleApprover.SystemTerminal::attached, null);
    }

    /** Whether environment variable {@code name} is set. */
    boolean has(String name) {
        return environment.containsKey(name);
    }
}
