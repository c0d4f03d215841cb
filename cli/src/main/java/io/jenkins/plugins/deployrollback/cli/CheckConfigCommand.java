package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.cli.config.CliConfig;
import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.support.Text;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;

@Command(
        name = "check-config",
        header = "Validate the configuration; contact no target.",
        description = {
            "Reads the configuration as every command does and reports every problem at once, each with",
            "its file:line and how to fix it (exit 2), or summarises each environment (exit 0). Key files,",
            "known_hosts files and the variables keys are read from are checked to exist; no host is",
            "contacted and nothing is written. Run it in CI before a deploy, or after editing the file."
        })
final class CheckConfigCommand extends EngineCommand {
    /** The JSON shape of {@code check-config --json}. */
    record View(Path file, Path stateFolder, List<EnvironmentView> environments) {}

    /** One environment as {@code check-config} summarises it. */
    record EnvironmentView(
            String name,
            List<String> targets,
            String strategy,
            int concurrency,
            int hooks,
            List<String> gates,
            int keepReleases,
            boolean autoRollback) {
        static EnvironmentView of(Environment e) {
            return new EnvironmentView(
                    e.name().value(),
                    e.targets().stream()
                            .map(t -> t.name() + " (" + t.host() + ")")
                            .toList(),
                    e.strategy().describe(),
                    e.concurrency(),
                    e.hooks().size(),
                    e.gates().stream().map(g -> g.name()).toList(),
                    e.retention().keepReleases(),
                    e.autoRollback());
        }
    }

    @Override
    public Integer call() throws Exception {
        CliConfig config = config(); // throws, listing every problem, when the file is not valid
        View view = new View(
                config.file(),
                stateFolder(),
                config.environments().values().stream().map(EnvironmentView::of).toList());
        if (options.json) {
            printJson(view);
            return ExitCode.OK;
        }
        out().println(config.file() + ": valid; "
                + Text.count(view.environments().size(), "environment") + ", state folder " + view.stateFolder());
        for (EnvironmentView e : view.environments()) {
            out().println("  " + e.name() + ": " + Text.count(e.targets().size(), "target") + " ("
                    + String.join(", ", e.targets()) + "), " + e.strategy() + ", up to " + e.concurrency()
                    + " at a time; " + Text.count(e.hooks(), "hook") + "; "
                    + (e.gates().isEmpty() ? "no gates" : "gates " + String.join(", ", e.gates()))
                    + "; keeps " + e.keepReleases() + " releases; automatic rollback "
                    + (e.autoRollback() ? "on" : "off"));
        }
        out().flush();
        return ExitCode.OK;
    }
}
