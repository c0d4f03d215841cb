package io.jenkins.plugins.deployrollback.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.deployrollback.engine.gate.PrometheusCheck;
import io.jenkins.plugins.deployrollback.engine.gate.PrometheusRangeSource;
import io.jenkins.plugins.deployrollback.engine.gate.SampleSource;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.verb.POST;

/**
 * The values of a Prometheus range query, every series pooled:
 * {@code prometheusRange(server: 'http://prometheus:9090', query: 'sum(rate(http_requests_total[1m]))', period: 'beforeGate')}.
 */
public class PrometheusRangeSourceSpec extends SampleSourceSpec {
    private static final long serialVersionUID = 1L;

    /** Prometheus' usual scrape interval, as on the command line: a finer step only repeats values. */
    static final int DEFAULT_STEP_SECONDS = 15;

    private final String server;
    private final String query;
    private int stepSeconds = DEFAULT_STEP_SECONDS;
    private String period;
    private int timeoutSeconds = (int) PrometheusCheck.DEFAULT_TIMEOUT.toSeconds();

    @DataBoundConstructor
    public PrometheusRangeSourceSpec(String server, String query) {
        this.server = server;
        this.query = query;
    }

    public String getServer() {
        return server;
    }

    public String getQuery() {
        return query;
    }

    public int getStepSeconds() {
        return stepSeconds;
    }

    @DataBoundSetter
    public void setStepSeconds(int stepSeconds) {
        this.stepSeconds = stepSeconds;
    }

    public String getPeriod() {
        return period;
    }

    /**
     * {@code sinceGate} or {@code beforeGate}; none (null, or blank from the form) is the side's own
     * default, so one source written for either side reads the stretch of time that side needs.
     */
    @DataBoundSetter
    public void setPeriod(String period) {
        this.period = period == null || period.isBlank() ? null : period;
    }

    public int getTimeoutSeconds() {
        return timeoutSeconds;
    }

    @DataBoundSetter
    public void setTimeoutSeconds(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public SampleSource toEngine(
            String checkName, String side, int minSamples, PrometheusRangeSource.Period defaultPeriod) {
        return onSide(
                checkName,
                side,
                () -> new PrometheusRangeSource(
                        uri("Server", server, "http://prometheus:9090"),
                        query,
                        Specs.seconds("Step", stepSeconds),
                        period(defaultPeriod),
                        Specs.seconds("Timeout", timeoutSeconds)));
    }

    private PrometheusRangeSource.Period period(PrometheusRangeSource.Period defaultPeriod) {
        if (period == null) {
            return defaultPeriod;
        }
        return switch (period.trim()) {
            case "sinceGate" -> PrometheusRangeSource.Period.SINCE_GATE_START;
            case "beforeGate" -> PrometheusRangeSource.Period.BEFORE_GATE_START;
            default ->
                throw new IllegalArgumentException("period \"" + period + "\" is not allowed: use sinceGate"
                        + " (from the gate's start until now) or beforeGate (the same length of time just before"
                        + " it), or leave it out for the side's default (canary: sinceGate, baseline: beforeGate)");
        };
    }

    @Extension
    @Symbol("prometheusRange")
    public static class DescriptorImpl extends SampleSourceDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Prometheus range query";
        }

        @POST
        public ListBoxModel doFillPeriodItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("The side's default (canary: sinceGate, baseline: beforeGate)", "");
            return items.add("sinceGate").add("beforeGate");
        }
    }
}
