package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.flow.EnvironmentStatus;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "status",
        header = "Show what every target serves, against the history.",
        description = {
            "Shows what every target of an environment serves against what the history records, the",
            "releases present on each target (and in each blue/green slot), who holds a lock, and the",
            "last switch of each target. MIXED means they disagree; it names which target serves what."
        })
final class StatusCommand extends EngineCommand {
    @Parameters(
            paramLabel = "ENVIRONMENT",
            arity = "0..*",
            description = "Environments to show (default: all configured).")
    List<String> environments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<Environment> chosen = environments(environments);
        List<EnvironmentStatus> statuses = new ArrayList<>();
        for (Environment environment : chosen) {
            statuses.add(engine().status(environment));
        }
        if (options.json) {
            printJson(statuses);
        } else {
            statuses.forEach(s -> Render.status(out(), s));
        }
        return ExitCode.OK;
    }
}
