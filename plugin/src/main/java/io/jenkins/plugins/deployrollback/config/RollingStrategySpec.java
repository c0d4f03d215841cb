package io.jenkins.plugins.deployrollback.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.FormValidation;
import io.jenkins.plugins.deployrollback.engine.strategy.Strategy;
import java.util.Objects;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Batches of targets switched one after the other, the gates after each:
 * {@code rolling(batch: '25%', maxFailedTargets: 1)}. The batch is a count ({@code '2'}) or a share of
 * the targets ({@code '25%'}), as the engine reads it.
 */
public class RollingStrategySpec extends StrategySpec {
    private static final long serialVersionUID = 1L;

    private final String batch;
    private int maxFailedTargets;

    @DataBoundConstructor
    public RollingStrategySpec(String batch) {
        this.batch = batch;
    }

    /** How many targets each batch switches: {@code '2'} or {@code '25%'}. */
    public String getBatch() {
        return batch;
    }

    public int getMaxFailedTargets() {
        return maxFailedTargets;
    }

    /**
     * How many targets may fail to switch or fail their after-switch hooks (they go back to the
     * release before) before the rollout stops; 0, the default, stops at the first.
     */
    @DataBoundSetter
    public void setMaxFailedTargets(int maxFailedTargets) {
        this.maxFailedTargets = maxFailedTargets;
    }

    @Override
    public Strategy toEngine() {
        return new Strategy.Rolling(option("Rolling", "batch", () -> targets(batch)), maxFailedTargets);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RollingStrategySpec other
                && Objects.equals(batch, other.batch)
                && maxFailedTargets == other.maxFailedTargets;
    }

    @Override
    public int hashCode() {
        return Objects.hash(batch, maxFailedTargets);
    }

    @Override
    public String toString() {
        return "rolling(batch: '" + batch + "', maxFailedTargets: " + maxFailedTargets + ")";
    }

    @Extension(ordinal = 30)
    @Symbol("rolling")
    public static class DescriptorImpl extends StrategyDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Rolling: batches of targets, one after the other";
        }

        @POST
        public FormValidation doCheckBatch(@QueryParameter String value) {
            return Specs.check(() -> targets(value));
        }

        @POST
        public FormValidation doCheckMaxFailedTargets(@QueryParameter int value) {
            return Specs.check(() -> new Strategy.Rolling(targets("1"), value));
        }
    }
}
