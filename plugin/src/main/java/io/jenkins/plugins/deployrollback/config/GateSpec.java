package io.jenkins.plugins.deployrollback.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import io.jenkins.plugins.deployrollback.engine.gate.Gate;
import io.jenkins.plugins.deployrollback.engine.gate.GateWindow;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * A go/no-go decision: checks sampled together over a window.
 * {@code gate(name: 'smoke', samples: 6, intervalSeconds: 10, failureLimit: 1, checks: [httpCheck(…)])}.
 * The window's meaning and defaults are the engine's (see docs/gates.md).
 */
public class GateSpec implements Describable<GateSpec>, Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private List<CheckSpec> checks = new ArrayList<>();
    private int samples = 1;
    private int intervalSeconds = (int) GateWindow.DEFAULT_INTERVAL.toSeconds();
    private int initialDelaySeconds;
    private int failureLimit;
    private int consecutiveErrorLimit = GateWindow.DEFAULT_CONSECUTIVE_ERROR_LIMIT;
    private int inconclusiveLimit;
    private int consecutiveSuccessLimit;

    @DataBoundConstructor
    public GateSpec(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public List<CheckSpec> getChecks() {
        return checks;
    }

    @DataBoundSetter
    public void setChecks(List<CheckSpec> checks) {
        this.checks = checks == null ? new ArrayList<>() : new ArrayList<>(checks);
    }

    public int getSamples() {
        return samples;
    }

    @DataBoundSetter
    public void setSamples(int samples) {
        this.samples = samples;
    }

    public int getIntervalSeconds() {
        return intervalSeconds;
    }

    @DataBoundSetter
    public void setIntervalSeconds(int intervalSeconds) {
        this.intervalSeconds = intervalSeconds;
    }

    public int getInitialDelaySeconds() {
        return initialDelaySeconds;
    }

    @DataBoundSetter
    public void setInitialDelaySeconds(int initialDelaySeconds) {
        this.initialDelaySeconds = initialDelaySeconds;
    }

    public int getFailureLimit() {
        return failureLimit;
    }

    @DataBoundSetter
    public void setFailureLimit(int failureLimit) {
        this.failureLimit = failureLimit;
    }

    public int getConsecutiveErrorLimit() {
        return consecutiveErrorLimit;
    }

    @DataBoundSetter
    public void setConsecutiveErrorLimit(int consecutiveErrorLimit) {
        this.consecutiveErrorLimit = consecutiveErrorLimit;
    }

    public int getInconclusiveLimit() {
        return inconclusiveLimit;
    }

    @DataBoundSetter
    public void setInconclusiveLimit(int inconclusiveLimit) {
        this.inconclusiveLimit = inconclusiveLimit;
    }

    public int getConsecutiveSuccessLimit() {
        return consecutiveSuccessLimit;
    }

    @DataBoundSetter
    public void setConsecutiveSuccessLimit(int consecutiveSuccessLimit) {
        this.consecutiveSuccessLimit = consecutiveSuccessLimit;
    }

    /** The engine's gate; the engine judges every value and says how to fix a wrong one. */
    public Gate toEngine() {
        GateWindow window = new GateWindow(
                Specs.seconds("Initial delay of gate " + name, initialDelaySeconds),
                Specs.seconds("Interval of gate " + name, intervalSeconds),
                samples,
                failureLimit,
                consecutiveErrorLimit,
                inconclusiveLimit,
                consecutiveSuccessLimit);
        return new Gate(name, checks.stream().map(CheckSpec::toEngine).toList(), window);
    }

    @Extension
    @Symbol("gate")
    public static class DescriptorImpl extends Descriptor<GateSpec> {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Gate";
        }
    }
}
