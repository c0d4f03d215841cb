package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.cli.config.ConfigException;
import io.jenkins.plugins.deployrollback.engine.history.ReleaseConflictException;
import io.jenkins.plugins.deployrollback.engine.plan.PlanRefusedException;
import io.jenkins.plugins.deployrollback.engine.release.UnsafeArtifactException;
import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.targets.LockLostException;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLockedException;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshFailure;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** {@code deploy-rollback}: the engine on the command line. */
@Command(
        name = "deploy-rollback",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Reversible deployments: every release in its own folder, an atomic switch, gates that judge",
            "the release on real signals, automatic rollback, and a history that knows the last known good",
            "release of every environment.",
            ""
        },
        footer = {
            "",
            "Exit status: 0 ok, 1 failed, 2 bad input, 3 rolled back, 4 locked, 5 refused, 6 gate did not pass,",
            "7 unreachable, 10 error.",
            "Documentation: docs/cli.md"
        })
public final class Main implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final Invocation invocation;

    private Main(Invocation invocation) {
        this.invocation = invocation;
    }

    /**
     * The commands, by name, in the order the help lists them. picocli builds its model of a command by
     * reflection on its class, which a new JVM pays for at every start: a command line that names one
     * of these gets only that one ({@link #commandLine(Invocation, String[])}).
     */
    static final List<Subcommand> SUBCOMMANDS = List.of(
            new Subcommand("deploy", DeployCommand.class),
            new Subcommand("verify", VerifyCommand.class),
            new Subcommand("rollback", RollbackCommand.class),
            new Subcommand("roll-forward", RollForwardCommand.class),
            new Subcommand("plan", PlanCommand.class),
            new Subcommand("history", HistoryCommand.class),
            new Subcommand("status", StatusCommand.class),
            new Subcommand("verify-releases", VerifyReleasesCommand.class),
            new Subcommand("releases", ReleasesCommand.class),
            new Subcommand("unlock", UnlockCommand.class),
            new Subcommand("check-config", CheckConfigCommand.class),
            new Subcommand("completion", CompletionCommand.class),
            new Subcommand("demo", DemoCommand.class),
            new Subcommand("daemon", DaemonCommand.class),
            new Subcommand("cds-training", CdsTrainingCommand.class));

    /** A command of the command line: its name, as its {@code @Command} gives it, and its class. */
    record Subcommand(String name, Class<?> type) {}

    public static void main(String[] args) {
        System.exit(commandLine(Invocation.thisProcess(), args).execute(args));
    }

    /** The whole command line, every command in it: for the demo, the completion script and the tests. */
    static CommandLine commandLine() {
        return commandLine(Invocation.thisProcess(), new String[0]);
    }

    /**
     * The configured command line that runs {@code args}, for a command asked for as {@code invocation}
     * says (by this process, or by the helper's client). When {@code args} starts with the name of a
     * command, that command is the only one it holds, which is all it runs; otherwise (no command,
     * {@code --help}, a mistyped name, {@code completion}, which lists them all) it holds every command.
     */
    static CommandLine commandLine(Invocation invocation, String[] args) {
        String named = args.length == 0 || args[0].equals("completion") ? null : args[0];
        boolean known = SUBCOMMANDS.stream().anyMatch(s -> s.name().equals(named));
        CommandLine commandLine = new CommandLine(new Main(invocation));
        for (Subcommand subcommand : SUBCOMMANDS) {
            if (!known || subcommand.name().equals(named)) {
                commandLine.addSubcommand(subcommand.name(), subcommand.type());
            }
        }
        // Set after adding the commands: picocli passes these settings only to those it holds already.
        // 100 columns: the descriptions are written to that width.
        return commandLine
                .setExecutionExceptionHandler(new Errors())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpWidth(100);
    }

    /** What the command {@code spec} describes runs with. */
    static Invocation invocation(picocli.CommandLine.Model.CommandSpec spec) {
        return ((Main) spec.root().userObject()).invocation;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    /** Turns each failure the user must tell apart into its message and exit status; no stack traces for expected failures. */
    static final class Errors implements IExecutionExceptionHandler {
        private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parsed) {
            PrintWriter err = commandLine.getErr();
            int status;
            String message;
            if (e instanceof ConfigException config) {
                status = ExitCode.USAGE;
                message = "Configuration problems:\n  " + String.join("\n  ", config.problems());
            } else if (e instanceof IllegalArgumentException
                    || e instanceof UnsafeArtifactException
                    || e instanceof ReleaseConflictException) {
                status = ExitCode.USAGE;
                message = e.getMessage();
            } else if (e instanceof TargetLockedException || e instanceof LockLostException) {
                status = ExitCode.LOCKED;
                message = e.getMessage();
            } else if (e instanceof PlanRefusedException refused) {
                status = ExitCode.REFUSED;
                refused.plan().describe().forEach(err::println);
                message = e.getMessage();
            } else if (causedBy(e, SshFailure.class)) {
                status = ExitCode.UNREACHABLE;
                message = e.getMessage()
                        + (e.getMessage().contains("Nothing was changed") ? "" : " Nothing was changed.");
            } else if (e instanceof java.io.IOException) {
                status = ExitCode.ERROR;
                message = e.getMessage() == null ? e.toString() : e.getMessage();
            } else {
                status = ExitCode.ERROR;
                message = "Unexpected error: " + e;
                if (invocation(commandLine.getCommandSpec()).has("DEPLOY_ROLLBACK_DEBUG")) {
                    e.printStackTrace(err);
                } else {
                    message += " (set DEPLOY_ROLLBACK_DEBUG=1 for the stack trace)";
                }
            }
            err.println("error: " + message);
            err.flush();
            if (wantsJson(parsed)) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("error", message);
                json.put("exitStatus", status);
                if (e instanceof PlanRefusedException refused) {
                    json.put("plan", refused.plan());
                }
                if (e instanceof ConfigException config) {
                    json.put("problems", config.problems());
                }
                try {
                    commandLine
                            .getOut()
                            .println(Json.mapper()
                                    .writerWithDefaultPrettyPrinter()
                                    .writeValueAsString(json));
                    commandLine.getOut().flush();
                } catch (java.io.IOException ignored) {
                    // the message is already on standard error
                }
            }
            return status;
        }

        private static boolean wantsJson(ParseResult parsed) {
            for (ParseResult p = parsed; p != null; p = p.subcommand()) {
                if (p.hasMatchedOption("--json")) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The version written into the jar's manifest by the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"deploy-rollback " + (version == null ? "(development build)" : version)};
        }
    }
}
