package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.cli.config.Durations;
import io.jenkins.plugins.deployrollback.cli.daemon.Helpers;
import io.jenkins.plugins.deployrollback.cli.daemon.Server;
import io.jenkins.plugins.deployrollback.cli.daemon.TerminalInput;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshConnectionPool;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "daemon",
        header = "Keep a helper process for this folder, so that each command starts warm.",
        description = {
            "A command run from a new JVM spends a few tenths of a second starting and logging in before",
            "it does anything. The helper is one process, for you and this folder, that runs the commands",
            "the deploy-rollback launcher hands it: the JVM is warm, and the SSH connections of the last",
            "command are still open (each is checked against known_hosts again before it is reused).",
            "",
            "Opt-in: without `daemon start` every command runs in a JVM of its own. With it, a command",
            "runs as it would have, with your arguments, environment variables and terminal; Ctrl-C stops",
            "it as an aborted build is stopped, releasing its locks. `java -jar deploy-rollback.jar` never",
            "uses the helper, nor does the launcher with DEPLOY_ROLLBACK_DAEMON=off.",
            "",
            "The helper listens on a socket in a folder only you may enter ($XDG_RUNTIME_DIR/deploy-rollback,",
            "else /tmp/deploy-rollback-UID, or $DEPLOY_ROLLBACK_DAEMON_DIR) and answers only your user. It",
            "stops after --idle without a command, or with `daemon stop`, waiting for running commands.",
            "A rebuilt or upgraded jar stops it at the next command, which runs without it.",
            ""
        },
        subcommands = {
            DaemonCommand.Start.class,
            DaemonCommand.Status.class,
            DaemonCommand.Stop.class,
            DaemonCommand.Serve.class
        })
final class DaemonCommand implements Callable<Integer> {
    /** How long a helper warms up before it takes commands, unless told otherwise. */
    static final String WARM_UP = "2s";

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    /** This process's working folder, as clients in it name it. */
    static Path folder() throws IOException {
        return Path.of("").toAbsolutePath().toRealPath();
    }

    static Path jar() {
        try {
            return Path.of(Main.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the jar's location is not a path", e);
        }
    }

    abstract static class Part implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help and exit.")
        boolean help;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        Map<String, String> environment() {
            return Main.invocation(spec).environment();
        }
    }

    @Command(name = "start", header = "Start the helper for this folder (nothing happens if it runs).")
    static final class Start extends Part {
        @Option(
                names = "--idle",
                paramLabel = "DURATION",
                defaultValue = "30m",
                description = "Stop after this long without a command (default: ${DEFAULT-VALUE}).")
        String idle;

        @Option(
                names = "--warm-up",
                paramLabel = "DURATION",
                defaultValue = WARM_UP,
                description = {
                    "Before it takes commands, run a deploy, rollback and roll-forward to a temporary folder",
                    "again and again for up to this long, so that its first command runs as fast as later",
                    "ones (default: ${DEFAULT-VALUE}; 0s: none)."
                })
        String warmUp;

        @Override
        public Integer call() throws Exception {
            Duration limit = Durations.parse(idle);
            Durations.parse(warmUp);
            Path folder = folder();
            Path socket = Helpers.socket(environment(), folder);
            Helpers.Running running = Helpers.running(socket);
            if (running != null) {
                out().println("The helper for " + folder + " already runs (pid " + running.pid()
                        + "). deploy-rollback daemon status says more.");
                return ExitCode.OK;
            }
            String java = ProcessHandle.current()
                    .info()
                    .command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString());
            running = Helpers.start(
                    socket,
                    Helpers.log(environment(), folder),
                    folder,
                    java,
                    jar(),
                    List.of("daemon", "serve", "--idle", idle, "--warm-up", warmUp));
            out().println("Started the helper for " + folder + " (pid " + running.pid() + "). The deploy-rollback"
                    + " launcher now hands it the commands run in this folder; it stops after "
                    + Durations.format(limit) + " without one, or with deploy-rollback daemon stop.");
            return ExitCode.OK;
        }
    }

    @Command(name = "status", header = "Say whether a helper runs for this folder, and what it has done.")
    static final class Status extends Part {
        @Override
        public Integer call() throws Exception {
            Path folder = folder();
            Helpers.Running running = Helpers.running(Helpers.socket(environment(), folder));
            if (running == null) {
                out().println("No helper runs for " + folder + ": each command runs in a JVM of its own.");
                return ExitCode.FAILED;
            }
            out().print(running.status());
            out().println("log " + Helpers.log(environment(), folder));
            return ExitCode.OK;
        }
    }

    @Command(name = "stop", header = "Stop the helper for this folder, once the commands it runs have ended.")
    static final class Stop extends Part {
        @Option(
                names = "--now",
                description = {
                    "Interrupt the commands it runs, as Ctrl-C in their terminals would: each stops at",
                    "its next safe point, as an aborted build does, and releases its locks."
                })
        boolean now;

        @Override
        public Integer call() throws Exception {
            Path folder = folder();
            Helpers.Running running = Helpers.stop(Helpers.socket(environment(), folder), now);
            if (running == null) {
                out().println("No helper runs for " + folder + ".");
                return ExitCode.OK;
            }
            if (!running.status().contains(" 0 running")) {
                out().println(
                                now
                                        ? "Interrupting the commands the helper runs, and waiting for them to stop ..."
                                        : "Waiting for the commands the helper runs to end (new ones run without it; --now"
                                                + " interrupts them) ...");
                out().flush();
            }
            ProcessHandle.of(running.pid()).ifPresent(helper -> helper.onExit().join());
            out().println("Stopped the helper for " + folder + " (pid " + running.pid() + ").");
            return ExitCode.OK;
        }
    }

    @Command(name = "serve", hidden = true, header = "Be the helper (run by daemon start).")
    static final class Serve extends Part {
        @Option(names = "--idle", paramLabel = "DURATION", defaultValue = "30m")
        String idle;

        @Option(names = "--warm-up", paramLabel = "DURATION", defaultValue = WARM_UP)
        String warmUp;

        @Override
        public Integer call() throws Exception {
            Path folder = folder();
            Map<String, String> own = environment();
            Path socket = Helpers.socket(own, folder);
            // Before listening: until then the launcher runs each command itself, as without a helper.
            Duration budget = Durations.parse(warmUp);
            if (!budget.isZero()) {
                warmUp(budget);
            }
            try (SshConnectionPool connections =
                    new SshConnectionPool(SshConnectionPool.DEFAULT_MAX_IDLE, SshConnectionPool.DEFAULT_IDLE_EXPIRY)) {
                Server server = Server.listen(
                        socket,
                        folder,
                        Helpers.build(jar()),
                        Durations.parse(idle),
                        (arguments, environment, console, out, err, terminal) -> run(
                                new Invocation(environment, console, () -> terminal(out, terminal), connections),
                                arguments,
                                out,
                                err),
                        () -> "connections " + connections.describe(),
                        Serve::log);
                server.serve();
            }
            return ExitCode.OK;
        }

        private static int run(Invocation invocation, List<String> arguments, PrintWriter out, PrintWriter err) {
            CommandLine command = Main.commandLine(invocation, arguments.toArray(String[]::new));
            command.setOut(out);
            command.setErr(err);
            command.setColorScheme(CommandLine.Help.defaultColorScheme(
                    invocation.onATerminal() && !invocation.has("NO_COLOR")
                            ? CommandLine.Help.Ansi.ON
                            : CommandLine.Help.Ansi.OFF));
            return command.execute(arguments.toArray(String[]::new));
        }

        /**
         * Runs the {@link Training} for up to {@code budget}. A warm-up that fails (no temporary
         * directory, a full disk) only makes the first commands slower: it is logged, and the helper
         * serves all the same.
         */
        private static void warmUp(Duration budget) {
            long start = System.nanoTime();
            try {
                int rounds = Training.warmUp(budget);
                log(String.format(
                        Locale.ROOT,
                        "warmed up in %.1f s (%d rounds of deploy, rollback and roll-forward to a temporary folder)",
                        (System.nanoTime() - start) / 1e9,
                        rounds));
            } catch (Exception e) {
                log("warm-up failed, serving without it: " + e);
            }
        }

        private static ConsoleApprover.Terminal terminal(PrintWriter out, TerminalInput input) {
            if (input == null) {
                return null;
            }
            try {
                input.open();
            } catch (IOException e) {
                return null;
            }
            return new ConsoleApprover.Terminal() {
                @Override
                public PrintWriter writer() {
                    return out;
                }

                @Override
                public void discardTypeAhead() {
                    input.discardTypeAhead();
                }

                @Override
                public String readLine(Duration timeout) throws IOException, InterruptedException {
                    return input.readLine(timeout);
                }
            };
        }

        private static synchronized void log(String line) {
            System.out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + line);
            System.out.flush();
        }
    }
}
