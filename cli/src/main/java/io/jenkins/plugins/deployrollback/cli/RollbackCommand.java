package io.jenkins.plugins.deployrollback.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "rollback",
        header = "Return to an earlier release (default: the last known good one).",
        description = {
            "Returns an environment to an earlier release: by default the last known good release",
            "other than the live one. A release still on the targets is a switch only; a pruned one is",
            "staged again from its kept artifacts. Deploy-only hooks are skipped; gates too, unless",
            "verifyAfterRollback is set or the release never passed them (then --approve/--reject answer",
            "their approvals)."
        })
final class RollbackCommand extends EngineCommand {
    @Parameters(index = "0", paramLabel = "ENVIRONMENT")
    String environment;

    @Mixin
    ReturnOptions target;

    @Mixin
    ApprovalOptions approvals;

    @Override
    public Integer call() throws Exception {
        return report(operate(
                () -> engine(approvals).rollback(config().environment(environment), target.request(options.actor()))));
    }
}
