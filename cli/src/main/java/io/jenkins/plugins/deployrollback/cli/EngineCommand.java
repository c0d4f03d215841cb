package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.cli.config.CliConfig;
import io.jenkins.plugins.deployrollback.cli.config.ConfigLoader;
import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentEngine;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentResult;
import io.jenkins.plugins.deployrollback.engine.history.FileHistoryStore;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.release.FileArtifactStore;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.retention.KeptArtifacts;
import io.jenkins.plugins.deployrollback.engine.retention.RetentionPolicy;
import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command that uses the engine shares: options, configuration, engine, output. */
abstract class EngineCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    private CliConfig config;
    private ConsoleProgress progress;

    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Where progress goes: standard error when the result is JSON, so standard output stays parseable. */
    final PrintWriter progressOut() {
        return options.json ? spec.commandLine().getErr() : out();
    }

    final CliConfig config() {
        if (config == null) {
            Invocation invocation = Main.invocation(spec);
            config = ConfigLoader.load(options.config, invocation.environment(), invocation.connections());
        }
        return config;
    }

    final Path stateFolder() {
        return options.state != null ? options.state.toAbsolutePath().normalize() : config().stateFolder();
    }

    /** The environments {@code names} name, or every configured one when none is named. */
    final List<Environment> environments(List<String> names) {
        return names.isEmpty()
                ? List.copyOf(config().environments().values())
                : names.stream().map(config()::environment).toList();
    }

    final FileHistoryStore historyStore() {
        return new FileHistoryStore(stateFolder().resolve("history"));
    }

    final ConsoleProgress progress() {
        if (progress == null) {
            progress = new ConsoleProgress(
                    progressOut(), Clock.systemUTC(), Main.invocation(spec).onATerminal());
        }
        return progress;
    }

    final FileArtifactStore artifactStore() {
        return new FileArtifactStore(stateFolder().resolve("artifacts"));
    }

    final DeploymentEngine engine() {
        return new DeploymentEngine(historyStore(), artifactStore(), progress(), Clock.systemUTC())
                .withSecrets(config().secrets());
    }

    /**
     * Runs one operation holding the kept artifacts in use, so that no other command prunes a copy it
     * is keeping or staging again.
     */
    final <T> T operate(Operation<T> operation) throws Exception {
        try (FileArtifactStore.Use use = artifactStore().use()) {
            return operation.run();
        }
    }

    @FunctionalInterface
    interface Operation<T> {
        T run() throws Exception;
    }

    /**
     * Removes the kept artifact copies that no environment of this state folder needs any more (see
     * {@link KeptArtifacts}); an environment no longer configured is kept under the default retention.
     * Pruning waits for no one: while another command runs, it prunes when it ends. A failure to
     * prune is a warning; the operation's outcome stands.
     */
    final void pruneKeptArtifacts() {
        FileHistoryStore histories = historyStore();
        FileArtifactStore.Pruned pruned;
        try {
            pruned = artifactStore().prune(() -> {
                Set<ReleaseId> needed = new HashSet<>();
                for (EnvironmentName name : histories.environments()) {
                    Environment configured = config().environments().get(name);
                    RetentionPolicy policy = configured != null ? configured.retention() : RetentionPolicy.DEFAULT;
                    needed.addAll(KeptArtifacts.neededBy(histories.read(name), policy));
                }
                return needed;
            });
        } catch (IOException | RuntimeException e) {
            // The operation's outcome stands; the next one prunes again.
            progress()
                    .warn("The kept artifacts in " + stateFolder().resolve("artifacts") + " were not pruned: "
                            + e.getMessage());
            return;
        }
        if (!pruned.removed().isEmpty()) {
            progress()
                    .stage(
                            "retain",
                            "Removed the kept artifacts of "
                                    + String.join(
                                            ", ",
                                            pruned.removed().stream()
                                                    .map(ReleaseId::value)
                                                    .toList())
                                    + " from the state folder (" + Text.bytes(pruned.freed())
                                    + "): no environment keeps them any more");
        }
    }

    /** The engine, with the gates' approvals answered as {@code approvals} says, by the person running this. */
    final DeploymentEngine engine(ApprovalOptions approvals) {
        return engine().withApprover(approvals.approver(
                options.approver(), Main.invocation(spec).terminal()));
    }

    /** Prints {@code value} as indented JSON on standard output. */
    final void printJson(Object value) throws IOException {
        out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
        out().flush();
    }

    /** Prints an operation's result and returns its exit status. */
    final int report(DeploymentResult result) throws IOException {
        if (options.json) {
            printJson(result);
        } else {
            Render.result(out(), result);
        }
        if (result.outcome() == Outcome.SUCCEEDED) {
            return ExitCode.OK;
        }
        return result.outcome() == Outcome.ROLLED_BACK ? ExitCode.ROLLED_BACK : ExitCode.FAILED;
    }
}
