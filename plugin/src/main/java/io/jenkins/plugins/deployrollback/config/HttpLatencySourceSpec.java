package io.jenkins.plugins.deployrollback.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.FormValidation;
import io.jenkins.plugins.deployrollback.engine.gate.HttpCheck;
import io.jenkins.plugins.deployrollback.engine.gate.HttpLatencySource;
import io.jenkins.plugins.deployrollback.engine.gate.PrometheusRangeSource;
import io.jenkins.plugins.deployrollback.engine.gate.SampleSource;
import io.jenkins.plugins.deployrollback.engine.gate.TargetLatencySource;
import java.time.Duration;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The latencies, in milliseconds, of GET requests to one URL:
 * {@code httpLatency(url: 'http://web-1:8080/api', requests: 100)}. A URL with {@code {host}} in it,
 * such as {@code http://{host}:8080/api}, reads the targets of one side of a rolling or canary rollout
 * instead ({@link TargetLatencySource}): for the canary side the targets already switched, for the
 * baseline those not switched yet, {@code {host}} replaced by each one's host.
 */
public class HttpLatencySourceSpec extends SampleSourceSpec {
    private static final long serialVersionUID = 1L;
    private static final String EXAMPLE_URL = "http://web-1:8080/api";

    private final String url;
    private Integer requests;
    // As the command line and httpCheck: 100 ms apart, so a canary check does not load the host it measures.
    private int requestIntervalMillis = (int) HttpCheck.DEFAULT_REQUEST_INTERVAL.toMillis();
    private int timeoutSeconds = (int) HttpLatencySource.DEFAULT_TIMEOUT.toSeconds();

    @DataBoundConstructor
    public HttpLatencySourceSpec(String url) {
        this.url = url;
    }

    public String getUrl() {
        return url;
    }

    public Integer getRequests() {
        return requests;
    }

    /** Requests per sample; none given: the check's {@code minSamples}, the fewest that can conclude. */
    @DataBoundSetter
    public void setRequests(Integer requests) {
        this.requests = requests;
    }

    public int getRequestIntervalMillis() {
        return requestIntervalMillis;
    }

    @DataBoundSetter
    public void setRequestIntervalMillis(int requestIntervalMillis) {
        this.requestIntervalMillis = requestIntervalMillis;
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
        return onSide(checkName, side, () -> {
            int count = requests == null ? minSamples : requests;
            Duration interval = Duration.ofMillis(requestIntervalMillis);
            Duration timeout = Specs.seconds("Timeout", timeoutSeconds);
            SampleSource source = TargetLatencySource.namesTargetHost(url)
                    ? new TargetLatencySource(url.trim(), count, interval, timeout)
                    : new HttpLatencySource(uri("URL", url, EXAMPLE_URL), count, interval, timeout);
            // Only answered requests give values: fewer requests than minSamples could never conclude.
            if (count < minSamples) {
                throw new IllegalArgumentException(count + " requests are fewer than minSamples (" + minSamples
                        + "), so the comparison could never conclude: send at least " + minSamples
                        + " or lower minSamples");
            }
            return source;
        });
    }

    @Extension
    @Symbol("httpLatency")
    public static class DescriptorImpl extends SampleSourceDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "HTTP latencies";
        }

        /** A plain URL, or one with {@code {host}} where each target's host goes. */
        @POST
        public FormValidation doCheckUrl(@QueryParameter String value) {
            if (TargetLatencySource.namesTargetHost(value)) {
                return Specs.check(() -> new TargetLatencySource(value.trim(), 1, null, null));
            }
            return Specs.check(() -> HttpLatencySource.of(uri("URL", value, EXAMPLE_URL), 1));
        }
    }
}
