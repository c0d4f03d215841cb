package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.engine.plan.DeploymentPlan;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Dry runs: the plan an operation would follow now, without locking or changing anything. */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        header = "Show what deploy, rollback or roll-forward would do, changing nothing.",
        subcommands = {PlanCommand.Deploy.class, PlanCommand.Rollback.class, PlanCommand.RollForward.class})
final class PlanCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "Name what to plan: deploy, rollback or roll-forward");
    }

    abstract static class PlanStep extends EngineCommand {
        final int show(DeploymentPlan plan) throws IOException {
            if (options.json) {
                printJson(plan);
            } else {
                Render.plan(out(), plan);
            }
            return plan.refused() ? ExitCode.REFUSED : ExitCode.OK;
        }
    }

    @Command(name = "deploy", header = "Plan a deploy: which targets stage, which only switch, which hooks run.")
    static final class Deploy extends PlanStep {
        @Parameters(index = "0", paramLabel = "ENVIRONMENT")
        String environment;

        @Mixin
        ReleaseOptions release;

        @Override
        public Integer call() throws Exception {
            var environmentConfig = config().environment(environment);
            return show(engine().planDeploy(
                            environmentConfig, release.prepare(progress()).release()));
        }
    }

    @Command(name = "rollback", header = "Plan a rollback: target and why, SWITCH or REDEPLOY, hooks, blockers.")
    static final class Rollback extends PlanStep {
        @Parameters(index = "0", paramLabel = "ENVIRONMENT")
        String environment;

        @Mixin
        ReturnOptions target;

        @Override
        public Integer call() throws Exception {
            return show(engine().planRollback(config().environment(environment), target.request(options.actor())));
        }
    }

    @Command(name = "roll-forward", header = "Plan a roll-forward: target and why, per-target steps, hooks, blockers.")
    static final class RollForward extends PlanStep {
        @Parameters(index = "0", paramLabel = "ENVIRONMENT")
        String environment;

        @Mixin
        ReturnOptions target;

        @Override
        public Integer call() throws Exception {
            return show(engine().planRollForward(config().environment(environment), target.request(options.actor())));
        }
    }
}
