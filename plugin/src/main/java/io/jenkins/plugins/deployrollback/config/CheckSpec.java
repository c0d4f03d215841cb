package io.jenkins.plugins.deployrollback.config;

import hudson.model.Describable;
import hudson.model.Descriptor;
import io.jenkins.plugins.deployrollback.engine.gate.Check;
import java.io.Serializable;

/**
 * One signal a gate samples: {@code httpCheck(…)}, {@code prometheusCheck(…)}, {@code commandCheck(…)},
 * {@code canaryCheck(…)}, {@code approvalCheck(…)}.
 */
public abstract class CheckSpec implements Describable<CheckSpec>, Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private boolean dryRun;

    protected CheckSpec(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    /** Sampled and recorded, but never deciding: for trying a new check out on production. */
    @org.kohsuke.stapler.DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    /** The engine's check, which validates every value and says how to fix a wrong one. */
    public abstract Check toEngine();

    /** The kinds of check, for the Snippet Generator's list. */
    public abstract static class CheckDescriptor extends Descriptor<CheckSpec> {}
}
