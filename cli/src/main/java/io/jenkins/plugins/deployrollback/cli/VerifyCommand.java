package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.flow.VerifyResult;
import io.jenkins.plugins.deployrollback.engine.gate.Verdict;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "verify",
        header = "Check the live release now and report the evidence.",
        description = {
            "Runs an environment's gates against its live release and reports each verdict with its",
            "checks and measurements. Exit status 6 when a gate does not pass, or when no gates are",
            "configured (nothing was verified)."
        })
final class VerifyCommand extends EngineCommand {
    @Parameters(index = "0", paramLabel = "ENVIRONMENT")
    String environment;

    @Option(names = "--rollback-on-fail", description = "When a gate fails, roll back to the last known good release.")
    boolean rollbackOnFail;

    @Mixin
    ApprovalOptions approvals;

    @Override
    public Integer call() throws Exception {
        Environment config = config().environment(environment);
        VerifyResult result = rollbackOnFail
                ? operate(() -> engine(approvals).verifyOrRollBack(config, options.actor()))
                : engine(approvals).verify(config, options.actor());
        if (options.json) {
            printJson(result);
        } else {
            out().println("verify " + result.environment() + " (live: " + Render.orNone(result.live()) + "): "
                    + result.verdict() + (result.gates().isEmpty() ? " (no gates are configured)" : ""));
            result.gates().forEach(g -> Render.gate(out(), g, "  "));
            if (result.rollback() != null) {
                Render.result(out(), result.rollback());
            }
            if (result.rollbackRefused() != null) {
                out().println("No rollback: " + result.rollbackRefused());
            }
            out().flush();
        }
        if (result.verdict() == Verdict.PASS) {
            return ExitCode.OK;
        }
        if (result.rollbackRefused() != null) {
            return ExitCode.REFUSED;
        }
        if (result.rollback() != null && result.rollback().outcome() != Outcome.SUCCEEDED) {
            return ExitCode.FAILED;
        }
        return ExitCode.CHECK_FAILED;
    }
}
