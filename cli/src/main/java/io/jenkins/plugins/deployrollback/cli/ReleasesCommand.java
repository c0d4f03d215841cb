package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.flow.ReleaseInventory;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "releases",
        header = "Show the release folders on every target, with sizes and which is live.",
        description = {
            "Lists every release folder on every target of each environment (default: all configured),",
            "newest first: its version, size and files (from the release catalog), when it was last staged",
            "or live, whether it serves (or a blue/green slot points to it), whether it is the live, last",
            "known good or previous release, which retention never removes, and whether its artifacts are",
            "kept, so that it can be staged again once removed. Changes nothing and takes no lock."
        })
final class ReleasesCommand extends EngineCommand {
    @Parameters(
            paramLabel = "ENVIRONMENT",
            arity = "0..*",
            description = "Environments to show (default: all configured).")
    List<String> environments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<ReleaseInventory> inventories = new ArrayList<>();
        for (Environment environment : environments(environments)) {
            inventories.add(engine().releases(environment));
        }
        if (options.json) {
            printJson(inventories);
        } else {
            inventories.forEach(i -> Render.releases(out(), i));
        }
        return ExitCode.OK;
    }
}
