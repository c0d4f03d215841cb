package io.jenkins.plugins.deployrollback.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.deployrollback.engine.gate.Check;
import io.jenkins.plugins.deployrollback.engine.gate.NoDataPolicy;
import io.jenkins.plugins.deployrollback.engine.gate.PrometheusCheck;
import io.jenkins.plugins.deployrollback.engine.gate.Threshold;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.verb.POST;

/**
 * A Prometheus instant query, every series held to a bound:
 * {@code prometheusCheck(name: 'errors', server: 'http://prometheus:9090', query: 'sum(rate(http_errors[1m]))', max: 0.5)}.
 */
public class PrometheusCheckSpec extends CheckSpec {
    private static final long serialVersionUID = 1L;

    private final String server;
    private final String query;
    private Double max;
    private Double min;
    private Double below;
    private Double above;
    private String noData = "inconclusive";
    private int timeoutSeconds = (int) PrometheusCheck.DEFAULT_TIMEOUT.toSeconds();

    @DataBoundConstructor
    public PrometheusCheckSpec(String name, String server, String query) {
        super(name);
        this.server = server;
        this.query = query;
    }

    public String getServer() {
        return server;
    }

    public String getQuery() {
        return query;
    }

    public Double getMax() {
        return max;
    }

    /** Every series must be at most this. */
    @DataBoundSetter
    public void setMax(Double max) {
        this.max = max;
    }

    public Double getMin() {
        return min;
    }

    /** Every series must be at least this. */
    @DataBoundSetter
    public void setMin(Double min) {
        this.min = min;
    }

    public Double getBelow() {
        return below;
    }

    @DataBoundSetter
    public void setBelow(Double below) {
        this.below = below;
    }

    public Double getAbove() {
        return above;
    }

    @DataBoundSetter
    public void setAbove(Double above) {
        this.above = above;
    }

    public String getNoData() {
        return noData;
    }

    /** What an empty answer means: {@code fail}, {@code inconclusive} (the default) or {@code pass}. */
    @DataBoundSetter
    public void setNoData(String noData) {
        this.noData = noData;
    }

    public int getTimeoutSeconds() {
        return timeoutSeconds;
    }

    @DataBoundSetter
    public void setTimeoutSeconds(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public Check toEngine() {
        return new PrometheusCheck(
                getName(),
                HttpCheckSpec.uri(getName(), server),
                query,
                threshold(),
                noDataPolicy(),
                Specs.seconds("Timeout of Prometheus check " + getName(), timeoutSeconds),
                isDryRun());
    }

    private Threshold threshold() {
        int given = (max == null ? 0 : 1) + (min == null ? 0 : 1) + (below == null ? 0 : 1) + (above == null ? 0 : 1);
        if (given != 1) {
            throw new IllegalArgumentException("Prometheus check " + getName() + " has " + given
                    + " bounds: give exactly one of max, min, below or above");
        }
        if (max != null) {
            return Threshold.atMost(max);
        }
        if (min != null) {
            return Threshold.atLeast(min);
        }
        return below != null ? Threshold.lessThan(below) : Threshold.greaterThan(above);
    }

    private NoDataPolicy noDataPolicy() {
        try {
            return NoDataPolicy.valueOf(Specs.constantName(noData));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("noData \"" + noData + "\" of Prometheus check " + getName()
                    + " is not allowed: use fail, inconclusive or pass");
        }
    }

    @Extension
    @Symbol("prometheusCheck")
    public static class DescriptorImpl extends CheckDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Prometheus check";
        }

        @POST
        public ListBoxModel doFillNoDataItems() {
            return new ListBoxModel().add("inconclusive").add("fail").add("pass");
        }
    }
}
