package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.cli.config.Durations;
import io.jenkins.plugins.deployrollback.cli.daemon.TypedLines;
import io.jenkins.plugins.deployrollback.engine.gate.ApprovalDecision;
import io.jenkins.plugins.deployrollback.engine.gate.ApprovalRequest;
import io.jenkins.plugins.deployrollback.engine.gate.Approver;
import java.io.BufferedReader;
import java.io.Console;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Answers the approvals an operation's gates ask for, on the command line. An answer given in advance
 * ({@code --approve} or {@code --reject}) answers every question of the operation, in the name of the
 * person running it. Without one, the terminal is asked: the question, who may answer, the evidence
 * so far, then y/N, waited for as long as the request allows. With neither, there is no answer, which
 * the gate counts as its check says (a failure unless told otherwise).
 */
final class ConsoleApprover implements Approver {
    /** An answer given in advance on the command line. */
    enum Given {
        APPROVE,
        REJECT
    }

    /** Where a person is asked: lines out, lines in. */
    interface Terminal {
        PrintWriter writer();

        /** Forgets what was typed before the question was asked. */
        void discardTypeAhead();

        /**
         * The next line typed within {@code timeout}, or null when none came in time.
         *
         * @throws EOFException when the terminal was closed
         */
        String readLine(Duration timeout) throws IOException, InterruptedException;
    }

    private final Given given;
    private final String comment;
    private final String person;
    private final Terminal terminal;

    /**
     * @param given the answer given in advance, or null to ask
     * @param comment what the person said with their answer, or null
     * @param person who answers: the person running the command
     * @param terminal where to ask when no answer was given in advance, or null when there is none
     */
    ConsoleApprover(Given given, String comment, String person, Terminal terminal) {
        this.given = given;
        this.comment = comment;
        this.person = person;
        this.terminal = terminal;
    }

    @Override
    public ApprovalDecision ask(ApprovalRequest request) throws InterruptedException {
        if (given == Given.APPROVE) {
            return ApprovalDecision.approved(person, comment != null ? comment : "given in advance with --approve");
        }
        if (given == Given.REJECT) {
            return ApprovalDecision.rejected(person, comment != null ? comment : "given in advance with --reject");
        }
        if (terminal == null) {
            return ApprovalDecision.noAnswer("no terminal to ask on: pass --approve or --reject");
        }
        if (!request.allows(person)) {
            // Asking would only record an answer that does not count.
            return ApprovalDecision.noAnswer(person + " may not answer (approvers: "
                    + String.join(", ", request.approvers()) + "): run the command as one of them with --by NAME");
        }
        PrintWriter out = terminal.writer();
        show(out, request);
        terminal.discardTypeAhead();
        long deadline = System.nanoTime() + request.timeout().toNanos();
        String limit = Durations.format(request.timeout());
        out.print("Approve? [y/N] (as " + person + ", waiting up to " + limit + "): ");
        out.flush();
        while (true) {
            long left = deadline - System.nanoTime();
            String line;
            try {
                line = left <= 0 ? null : terminal.readLine(Duration.ofNanos(left));
            } catch (IOException e) {
                out.println();
                out.flush();
                return ApprovalDecision.noAnswer("the terminal was closed without an answer");
            }
            if (line == null) {
                out.println();
                out.println("No answer within " + limit + ".");
                out.flush();
                return ApprovalDecision.noAnswer("no answer within " + limit);
            }
            switch (line.trim().toLowerCase(Locale.ROOT)) {
                case "y", "yes" -> {
                    return ApprovalDecision.approved(person, comment != null ? comment : "answered at the terminal");
                }
                case "", "n", "no" -> {
                    return ApprovalDecision.rejected(person, comment != null ? comment : "answered at the terminal");
                }
                default -> {
                    out.print("Answer y (keep it) or n (do not): ");
                    out.flush();
                }
            }
        }
    }

    private static void show(PrintWriter out, ApprovalRequest request) {
        out.println();
        out.println("Approval needed: " + request.question());
        out.println("  " + (request.release() == null ? "(nothing live)" : request.release()) + " in "
                + request.environment() + ", gate " + request.gate() + ", check " + request.check());
        out.println("  may answer: "
                + (request.approvers().isEmpty() ? "anyone who may run this" : String.join(", ", request.approvers())));
        if (request.evidence().isEmpty()) {
            out.println("  evidence so far: none");
        } else {
            out.println("  evidence so far:");
            Render.checks(out, request.evidence(), "    ", true);
        }
        out.flush();
    }

    /**
     * This process's terminal. One daemon thread reads it, so that a question not answered in time
     * leaves no reader behind to swallow the answer to the next one.
     */
    static final class SystemTerminal implements Terminal {
        private final PrintWriter writer;
        private final TypedLines lines = new TypedLines();

        private SystemTerminal(Console console) {
            this.writer = console.writer();
            BufferedReader in = new BufferedReader(console.reader());
            Thread reader = new Thread(
                    () -> {
                        try {
                            for (String line = in.readLine(); line != null; line = in.readLine()) {
                                lines.typed(line);
                            }
                        } catch (IOException e) {
                            // A terminal that cannot be read is a closed one.
                        }
                        lines.closed();
                    },
                    "terminal-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** The terminal both standard input and output are attached to, or null. */
        static SystemTerminal attached() {
            Console console = System.console();
            return console != null && isTerminal(console) ? new SystemTerminal(console) : null;
        }

        // From Java 22, System.console() may return a console that is not a terminal; isTerminal() says so.
        private static boolean isTerminal(Console console) {
            try {
                return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException e) {
                return true;
            }
        }

        @Override
        public PrintWriter writer() {
            return writer;
        }

        @Override
        public void discardTypeAhead() {
            lines.discardTypeAhead();
        }

        @Override
        public String readLine(Duration timeout) throws IOException, InterruptedException {
            return lines.readLine(timeout);
        }
    }
}
