package io.jenkins.plugins.deployrollback.cli.daemon;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** How the helper runs one command for a client: the command line's part, given to the {@link Server}. */
@FunctionalInterface
public interface HelperCommands {
    /**
     * Runs {@code arguments} as the client's own process would, and returns the exit status.
     *
     * @param environment the client's environment variables
     * @param console whether the client's input and output are a terminal
     * @param out the client's standard output
     * @param err the client's standard error
     * @param terminal what is typed at the client's terminal, when it has one (else null)
     */
    int run(
            List<String> arguments,
            Map<String, String> environment,
            boolean console,
            PrintWriter out,
            PrintWriter err,
            TerminalInput terminal);
}
