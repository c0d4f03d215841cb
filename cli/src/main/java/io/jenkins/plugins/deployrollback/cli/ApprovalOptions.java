package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.engine.gate.Approver;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.util.function.Supplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** How the approvals an operation's gates ask for are answered: in advance, at the terminal, or not at all. */
final class ApprovalOptions {
    @ArgGroup(exclusive = true)
    Answer answer;

    static final class Answer {
        @Option(
                names = "--approve",
                required = true,
                description = "Answer yes to every approval the gates ask for (as --by, default the OS user).")
        boolean approve;

        @Option(
                names = "--reject",
                required = true,
                description = "Answer no to every approval the gates ask for: the release is rolled back.")
        boolean reject;
    }

    @Option(names = "--comment", paramLabel = "TEXT", description = "Recorded with the approval or rejection.")
    String comment;

    /**
     * The approver answering in the name of {@code person}; asks at {@code terminal} (which gives null
     * when there is none) when no answer was given.
     */
    Approver approver(String person, Supplier<ConsoleApprover.Terminal> terminal) {
        if (comment != null) {
            Text.requireLabel("The --comment", comment, 500);
        }
        ConsoleApprover.Given given =
                answer == null ? null : answer.approve ? ConsoleApprover.Given.APPROVE : ConsoleApprover.Given.REJECT;
        return new ConsoleApprover(given, comment, person, given == null ? terminal.get() : null);
    }
}
