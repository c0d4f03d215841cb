package io.jenkins.plugins.deployrollback.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.FormValidation;
import io.jenkins.plugins.deployrollback.engine.strategy.Strategy;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Two slots per target, blue and green: the release goes to the idle one, is started there by the
 * before-switch hooks and judged there by the gates while the live slot still serves, then every
 * target's {@code current} switches to it: {@code blueGreen(bluePort: 8081, greenPort: 8082)}. The
 * ports are handed to the hooks ({@code DEPLOY_SLOT_PORT}, {@code DEPLOY_LIVE_SLOT_PORT}); 0, the
 * default, gives none.
 */
public class BlueGreenStrategySpec extends StrategySpec {
    private static final long serialVersionUID = 1L;

    private int bluePort;
    private int greenPort;

    @DataBoundConstructor
    public BlueGreenStrategySpec() {}

    public int getBluePort() {
        return bluePort;
    }

    /** The port the blue slot's application listens on; 0: none. */
    @DataBoundSetter
    public void setBluePort(int bluePort) {
        this.bluePort = bluePort;
    }

    public int getGreenPort() {
        return greenPort;
    }

    /** The port the green slot's application listens on; 0: none. */
    @DataBoundSetter
    public void setGreenPort(int greenPort) {
        this.greenPort = greenPort;
    }

    @Override
    public Strategy toEngine() {
        return new Strategy.BlueGreen(bluePort, greenPort);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlueGreenStrategySpec other && bluePort == other.bluePort && greenPort == other.greenPort;
    }

    @Override
    public int hashCode() {
        return 31 * bluePort + greenPort;
    }

    @Override
    public String toString() {
        return "blueGreen(bluePort: " + bluePort + ", greenPort: " + greenPort + ")";
    }

    @Extension(ordinal = 10)
    @Symbol("blueGreen")
    public static class DescriptorImpl extends StrategyDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Blue/green: the idle slot, then switch";
        }

        @POST
        public FormValidation doCheckBluePort(@QueryParameter int value, @QueryParameter int greenPort) {
            return Specs.check(() -> new Strategy.BlueGreen(value, greenPort));
        }

        @POST
        public FormValidation doCheckGreenPort(@QueryParameter int bluePort, @QueryParameter int value) {
            return Specs.check(() -> new Strategy.BlueGreen(bluePort, value));
        }
    }
}
