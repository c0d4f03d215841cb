package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.cli.config.CliConfig;
import io.jenkins.plugins.deployrollback.cli.config.ConfigLoader;
import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentEngine;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentResult;
import io.jenkins.plugins.deployrollback.engine.history.FileHistoryStore;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.release.FileArtifactStore;
import io.jenkins.plugins.deployrollback.engine.support.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
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
            config = ConfigLoader.load(options.config);
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
            progress = new ConsoleProgress(progressOut(), Clock.systemUTC());
        }
        return progress;
    }

    final DeploymentEngine engine() {
        return new DeploymentEngine(
                        historyStore(),
                        new FileArtifactStore(stateFolder().resolve("artifacts")),
                        progress(),
                        Clock.systemUTC())
                .withSecrets(config().secrets());
    }

    /** The engine, with the gates' approvals answered as {@code approvals} says, by the person running this. */
    final DeploymentEngine engine(ApprovalOptions approvals) {
        return engine().withApprover(approvals.approver(options.approver()));
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
