package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.flow.ReturnRequest;
import io.jenkins.plugins.deployrollback.engine.flow.VerifyResult;
import io.jenkins.plugins.deployrollback.engine.gate.Verdict;
import io.jenkins.plugins.deployrollback.engine.plan.ReleaseSelector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "verify",
        header = "Check the live release now and report the evidence.",
        description = {
            "Runs an environment's health checks against its live release and reports the verdict",
            "with its evidence. Exit status 6 when a check does not pass."
        })
final class VerifyCommand extends EngineCommand {
    @Parameters(index = "0", paramLabel = "ENVIRONMENT")
    String environment;

    @Option(names = "--rollback-on-fail", description = "When a check fails, roll back to the last known good release.")
    boolean rollbackOnFail;

    @Override
    public Integer call() throws Exception {
        Environment config = config().environment(environment);
        VerifyResult result = engine().verify(config);
        if (options.json) {
            printJson(result);
        } else {
            out().println("verify " + result.environment() + " (live: " + Render.orNone(result.live()) + "): "
                    + result.verdict() + (result.gates().isEmpty() ? " (no health checks are configured)" : ""));
            result.gates().forEach(g -> Render.gate(out(), g, "  "));
            out().flush();
        }
        if (result.verdict() == Verdict.PASS) {
            return ExitCode.OK;
        }
        if (rollbackOnFail && result.verdict() == Verdict.FAIL) {
            String reason = "verify failed: "
                    + String.join(
                            "; ",
                            result.gates().stream()
                                    .filter(g -> g.verdict() != Verdict.PASS)
                                    .map(g -> g.describe())
                                    .toList());
            reason = reason.length() > 480 ? reason.substring(0, 480) + "..." : reason;
            int status = report(engine().rollback(
                            config, new ReturnRequest(ReleaseSelector.byDefault(), false, options.actor(), reason)));
            return status == ExitCode.OK ? ExitCode.CHECK_FAILED : status;
        }
        return ExitCode.CHECK_FAILED;
    }
}
