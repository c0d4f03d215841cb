package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.engine.flow.DeployRequest;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "deploy",
        header = "Put a release live; roll back on its own when its checks fail.",
        description = {
            "Puts a release live on every target of an environment: lock, stage, before-switch hooks,",
            "switch, after-switch hooks, gates. When anything fails before the switch, the old release",
            "keeps serving; when a gate fails after it, every target is rolled back to the release live",
            "before (unless automatic rollback is off or the release declares a schema migration).",
            "An approval a gate asks for is answered with --approve or --reject, else at the terminal."
        })
final class DeployCommand extends EngineCommand {
    @Parameters(
            index = "0",
            paramLabel = "ENVIRONMENT",
            description = "The environment, as named in the configuration.")
    String environment;

    @Mixin
    ReleaseOptions release;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the history.")
    String reason;

    @Mixin
    ApprovalOptions approvals;

    @Override
    public Integer call() throws Exception {
        var environmentConfig = config().environment(environment);
        ReleaseOptions.Prepared prepared = release.prepare(progress());
        DeploymentResult result = operate(() -> engine(approvals)
                .deploy(
                        environmentConfig,
                        new DeployRequest(prepared.release(), prepared.source(), options.actor(), reason)));
        pruneKeptArtifacts();
        return report(result);
    }
}
