package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.History;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "history",
        header = "Show an environment's history, with causes.",
        description = {
            "Shows an environment's deployments, rollbacks and roll-forwards, oldest first, with their",
            "causes, the live release and the last known good one."
        })
final class HistoryCommand extends EngineCommand {
    @Parameters(index = "0", paramLabel = "ENVIRONMENT")
    String environment;

    @Option(
            names = {"-n", "--limit"},
            paramLabel = "N",
            description = "Show only the newest N records (default: all).")
    int limit = Integer.MAX_VALUE;

    /** The JSON shape of {@code history --json}. */
    record View(
            EnvironmentName environment,
            ReleaseId live,
            ReleaseId lastKnownGood,
            List<DeploymentRecord> records,
            List<String> problems) {}

    @Override
    public Integer call() throws Exception {
        EnvironmentName name = EnvironmentName.of(environment);
        History history = historyStore().read(name);
        if (!config().environments().containsKey(name)) {
            if (history.records().isEmpty()) {
                // Nothing was ever recorded under this name: most likely a typo, an error like every command's.
                config().environment(environment);
            }
            spec.commandLine()
                    .getErr()
                    .println("WARNING: environment " + name + " is not configured in " + config().file()
                            + " any more; showing its recorded history");
        }
        if (options.json) {
            List<DeploymentRecord> records = history.records();
            printJson(new View(
                    history.environment(),
                    history.current().orElse(null),
                    history.lastKnownGood().orElse(null),
                    records.subList(Math.max(0, records.size() - limit), records.size()),
                    history.problems()));
        } else {
            Render.history(out(), history, limit);
        }
        return ExitCode.OK;
    }
}
