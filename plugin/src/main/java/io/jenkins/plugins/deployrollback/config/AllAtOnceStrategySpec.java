package io.jenkins.plugins.deployrollback.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import io.jenkins.plugins.deployrollback.engine.strategy.Strategy;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** Every target switches together, then the gates judge: {@code allAtOnce()}, the default. */
public class AllAtOnceStrategySpec extends StrategySpec {
    private static final long serialVersionUID = 1L;

    @DataBoundConstructor
    public AllAtOnceStrategySpec() {}

    @Override
    public Strategy toEngine() {
        return Strategy.ALL_AT_ONCE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AllAtOnceStrategySpec;
    }

    @Override
    public int hashCode() {
        return AllAtOnceStrategySpec.class.hashCode();
    }

    @Override
    public String toString() {
        return "allAtOnce()";
    }

    /** First in the list: the default. */
    @Extension(ordinal = 40)
    @Symbol("allAtOnce")
    public static class DescriptorImpl extends StrategyDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "All at once";
        }
    }
}
