package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.targets.ReleaseIntegrity;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "verify-releases",
        header = "Check every release folder on every target against its checksums.",
        description = {
            "Reads every file of every release folder on every target of an environment and compares its",
            "SHA-256 with the manifest recorded when it was staged, and each folder's fingerprint with the",
            "one recorded (entries added, removed or touched). Changes nothing and takes no lock. Exits 6",
            "when a release was changed on a target: the next switch to it stages it again from its artifacts."
        })
final class VerifyReleasesCommand extends EngineCommand {
    @Parameters(
            paramLabel = "ENVIRONMENT",
            arity = "0..*",
            description = "Environments to check (default: all configured).")
    List<String> environments = new ArrayList<>();

    /** The JSON shape of {@code verify-releases --json}: one entry per release folder of each target. */
    record View(String environment, String target, String release, boolean intact, String result) {}

    @Override
    public Integer call() throws Exception {
        List<Environment> chosen = environments(environments);
        List<View> views = new ArrayList<>();
        for (Environment environment : chosen) {
            for (ReleaseIntegrity check : engine().verifyReleases(environment)) {
                views.add(new View(
                        environment.name().value(),
                        check.target(),
                        check.release().value(),
                        check.intact(),
                        check.describe()));
            }
        }
        if (options.json) {
            printJson(views);
        } else {
            for (View view : views) {
                out().println(view.environment() + "  " + view.target() + "  releases/" + view.release() + ": "
                        + view.result());
            }
            long changed = views.stream().filter(v -> !v.intact()).count();
            out().println(views.size() + (views.size() == 1 ? " release folder" : " release folders") + " checked, "
                    + (changed == 0 ? "all intact" : changed + " not intact"));
        }
        return views.stream().allMatch(View::intact) ? ExitCode.OK : ExitCode.CHECK_FAILED;
    }
}
