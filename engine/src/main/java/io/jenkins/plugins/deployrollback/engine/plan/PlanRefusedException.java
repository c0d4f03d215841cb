package io.jenkins.plugins.deployrollback.engine.plan;

/** A plan was refused (see {@link DeploymentPlan#refused()}); nothing was changed. */
public class PlanRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient DeploymentPlan plan;

    public PlanRefusedException(DeploymentPlan plan) {
        super(message(plan));
        this.plan = plan;
    }

    private static String message(DeploymentPlan plan) {
        StringBuilder out = new StringBuilder(
                "Refused to " + plan.operation().label() + " " + plan.environment() + "; nothing was changed.");
        plan.errors().forEach(e -> out.append(' ').append(e));
        if (!plan.blockers().isEmpty() && !plan.forced()) {
            plan.blockers().forEach(b -> out.append(' ').append(b));
        }
        return out.toString();
    }

    public DeploymentPlan plan() {
        return plan;
    }
}
