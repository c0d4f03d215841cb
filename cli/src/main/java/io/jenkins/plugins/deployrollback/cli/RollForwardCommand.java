package io.jenkins.plugins.deployrollback.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "roll-forward",
        header = "Return to a newer release after a rollback.",
        description = {
            "Returns an environment to a newer release after a rollback: by default the release most",
            "recently rolled back from. Same flow and gates as deploy; a release whose last deployment",
            "failed is refused unless --force."
        })
final class RollForwardCommand extends EngineCommand {
    @Parameters(index = "0", paramLabel = "ENVIRONMENT")
    String environment;

    @Mixin
    ReturnOptions target;

    @Mixin
    ApprovalOptions approvals;

    @Override
    public Integer call() throws Exception {
        return report(operate(() ->
                engine(approvals).rollForward(config().environment(environment), target.request(options.actor()))));
    }
}
