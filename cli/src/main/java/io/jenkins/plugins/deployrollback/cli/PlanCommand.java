package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.engine.plan.DeploymentPlan;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Dry runs: the plan an operation would follow now, without locking or changing anything. */
@Command(name = "plan", description = "Show what deploy, rollback or roll-forward would do now, without changing anything.",
        subcommands = {PlanCommand.Deploy.class, PlanCommand.Rollback.class, PlanCommand.RollForward.class})
final class PlanCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Name what to plan: deploy, rollback or roll-forward");
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

    @Command(name = "deploy", description = "Plan a deploy: which targets stage, which only switch, which hooks run.")
    static final class Deploy extends PlanStep {
        @Parameters(index = "0", paramLabel = "ENVIRONMENT")
        String environment;

        @Mixin
        ReleaseOptions release;

        @Override
        public Integer call() throws Exception {
            var environmentConfig = config().environment(environment);
            return show(engine().planDeploy(environmentConfig, release.prepare(progress()).release()));
        }
    }

    @Command(name = "rollback", description = "Plan a rollback: its target and why, SWITCH or REDEPLOY per target, hooks run and skipped, blockers.")
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

    @Command(name = "roll-forward", description = "Plan a roll-forward.")
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
