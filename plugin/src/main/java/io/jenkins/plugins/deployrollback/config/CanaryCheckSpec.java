package io.jenkins.plugins.deployrollback.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.deployrollback.engine.gate.CanaryCheck;
import io.jenkins.plugins.deployrollback.engine.gate.Check;
import io.jenkins.plugins.deployrollback.engine.gate.Gate;
import io.jenkins.plugins.deployrollback.engine.gate.PrometheusRangeSource;
import io.jenkins.plugins.deployrollback.engine.gate.SampleSource;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.verb.POST;

/**
 * The new release's values against the old one's, with a Mann–Whitney U test:
 * {@code canaryCheck(name: 'latency', canary: httpLatency(url: 'http://web-1:8080/api'),
 * baseline: httpLatency(url: 'http://web-2:8080/api'), worse: 'higher', allowedEffectPercent: 25)}.
 * The test and its defaults are the engine's (see docs/gates.md).
 */
public class CanaryCheckSpec extends CheckSpec {
    private static final long serialVersionUID = 1L;

    private final SampleSourceSpec canary;
    private final SampleSourceSpec baseline;
    private String worse = "higher";
    private double confidence = CanaryCheck.DEFAULT_CONFIDENCE;
    private double allowedEffectPercent = 100 * CanaryCheck.DEFAULT_ALLOWED_EFFECT;
    private int minSamples = CanaryCheck.DEFAULT_MIN_SAMPLES;

    @DataBoundConstructor
    public CanaryCheckSpec(String name, SampleSourceSpec canary, SampleSourceSpec baseline) {
        super(name);
        this.canary = canary;
        this.baseline = baseline;
    }

    /** Where the new release's values come from. */
    public SampleSourceSpec getCanary() {
        return canary;
    }

    /** Where the old release's values come from. */
    public SampleSourceSpec getBaseline() {
        return baseline;
    }

    public String getWorse() {
        return worse;
    }

    /** Which change is bad: {@code higher} (the default: latency, errors), {@code lower} (throughput) or {@code either}. */
    @DataBoundSetter
    public void setWorse(String worse) {
        this.worse = worse;
    }

    public double getConfidence() {
        return confidence;
    }

    @DataBoundSetter
    public void setConfidence(double confidence) {
        this.confidence = confidence;
    }

    public double getAllowedEffectPercent() {
        return allowedEffectPercent;
    }

    /**
     * How much worse the canary's median may be than the baseline's, in percent of it: {@code 25} lets
     * the canary be 25 % worse. A percentage, as every other share a Pipeline gives, where the engine
     * takes a fraction.
     */
    @DataBoundSetter
    public void setAllowedEffectPercent(double allowedEffectPercent) {
        this.allowedEffectPercent = allowedEffectPercent;
    }

    public int getMinSamples() {
        return minSamples;
    }

    @DataBoundSetter
    public void setMinSamples(int minSamples) {
        this.minSamples = minSamples;
    }

    @Override
    public Check toEngine() {
        // The sources' messages name the check: an invalid name is the first thing to fix.
        Gate.requireName("Canary check", getName());
        if (!(allowedEffectPercent >= 0 && allowedEffectPercent < 1000)) {
            throw new IllegalArgumentException("allowedEffectPercent " + allowedEffectPercent + " of canary check "
                    + getName() + " is out of range: use 0 (no difference tolerated) to below 1000, such as 25"
                    + " (the canary may be 25 % worse than the baseline)");
        }
        return new CanaryCheck(
                getName(),
                source("canary", canary, PrometheusRangeSource.Period.SINCE_GATE_START),
                source("baseline", baseline, PrometheusRangeSource.Period.BEFORE_GATE_START),
                worseDirection(),
                confidence,
                allowedEffectPercent / 100,
                minSamples,
                isDryRun());
    }

    /** The side's engine source; none given is left to the engine, which says what is missing. */
    private SampleSource source(String side, SampleSourceSpec spec, PrometheusRangeSource.Period defaultPeriod) {
        return spec == null ? null : spec.toEngine(getName(), side, minSamples, defaultPeriod);
    }

    private CanaryCheck.Worse worseDirection() {
        try {
            return CanaryCheck.Worse.valueOf(Specs.constantName(worse));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("worse \"" + worse + "\" of canary check " + getName()
                    + " is not allowed: use higher (latency, errors), lower (throughput) or either");
        }
    }

    @Extension
    @Symbol("canaryCheck")
    public static class DescriptorImpl extends CheckDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Canary versus baseline";
        }

        @POST
        public ListBoxModel doFillWorseItems() {
            return new ListBoxModel().add("higher").add("lower").add("either");
        }
    }
}
