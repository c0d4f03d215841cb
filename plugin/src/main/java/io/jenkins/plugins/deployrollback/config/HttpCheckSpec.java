package io.jenkins.plugins.deployrollback.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.FormValidation;
import io.jenkins.plugins.deployrollback.engine.gate.Check;
import io.jenkins.plugins.deployrollback.engine.gate.HttpCheck;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Availability, error rate and latency percentiles of HTTP requests:
 * {@code httpCheck(name: 'health', url: 'https://app/health', requests: 20, maxErrorRate: 1, maxP95Millis: 300)}.
 */
public class HttpCheckSpec extends CheckSpec {
    private static final long serialVersionUID = 1L;

    private final String url;
    private int requests = 1;
    private int timeoutSeconds = (int) HttpCheck.DEFAULT_TIMEOUT.toSeconds();
    private String expectStatus = "200";
    private Double minAvailability;
    private Double maxErrorRate;
    private Integer maxP50Millis;
    private Integer maxP95Millis;
    private Integer maxP99Millis;

    @DataBoundConstructor
    public HttpCheckSpec(String name, String url) {
        super(name);
        this.url = url;
    }

    public String getUrl() {
        return url;
    }

    public int getRequests() {
        return requests;
    }

    @DataBoundSetter
    public void setRequests(int requests) {
        this.requests = requests;
    }

    public int getTimeoutSeconds() {
        return timeoutSeconds;
    }

    @DataBoundSetter
    public void setTimeoutSeconds(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    public String getExpectStatus() {
        return expectStatus;
    }

    /** Status codes that count as success, separated by commas: {@code 200,204}. */
    @DataBoundSetter
    public void setExpectStatus(String expectStatus) {
        this.expectStatus = expectStatus;
    }

    public Double getMinAvailability() {
        return minAvailability;
    }

    /** Lowest share of successful requests allowed, in percent. */
    @DataBoundSetter
    public void setMinAvailability(Double minAvailability) {
        this.minAvailability = minAvailability;
    }

    public Double getMaxErrorRate() {
        return maxErrorRate;
    }

    /** Highest share of failed requests allowed, in percent. */
    @DataBoundSetter
    public void setMaxErrorRate(Double maxErrorRate) {
        this.maxErrorRate = maxErrorRate;
    }

    public Integer getMaxP50Millis() {
        return maxP50Millis;
    }

    @DataBoundSetter
    public void setMaxP50Millis(Integer maxP50Millis) {
        this.maxP50Millis = maxP50Millis;
    }

    public Integer getMaxP95Millis() {
        return maxP95Millis;
    }

    @DataBoundSetter
    public void setMaxP95Millis(Integer maxP95Millis) {
        this.maxP95Millis = maxP95Millis;
    }

    public Integer getMaxP99Millis() {
        return maxP99Millis;
    }

    @DataBoundSetter
    public void setMaxP99Millis(Integer maxP99Millis) {
        this.maxP99Millis = maxP99Millis;
    }

    @Override
    public Check toEngine() {
        return new HttpCheck(
                getName(),
                List.of(uri(getName(), url)),
                requests,
                null,
                Specs.seconds("Timeout of HTTP check " + getName(), timeoutSeconds),
                statuses(getName(), expectStatus),
                minAvailability,
                maxErrorRate,
                millis(maxP50Millis),
                millis(maxP95Millis),
                millis(maxP99Millis),
                isDryRun());
    }

    private static Duration millis(Integer value) {
        return value == null ? null : Duration.ofMillis(value);
    }

    static URI uri(String check, String url) {
        try {
            return URI.create(url == null ? "" : url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "URL of check " + check + " is not a valid URL: give one such as https://app.example.com/health");
        }
    }

    static List<Integer> statuses(String check, String written) {
        List<Integer> statuses = new ArrayList<>();
        if (written == null || written.isBlank()) {
            return statuses;
        }
        for (String part : written.split(",")) {
            try {
                statuses.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Expected status \"" + part.trim() + "\" of check " + check
                        + " is not a number: give status codes separated by commas, such as 200,204");
            }
        }
        return statuses;
    }

    @Extension
    @Symbol("httpCheck")
    public static class DescriptorImpl extends CheckDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "HTTP check";
        }

        @POST
        public FormValidation doCheckUrl(@QueryParameter String name, @QueryParameter String value) {
            return Specs.check(() -> HttpCheck.of(name == null || name.isBlank() ? "check" : name, uri(name, value)));
        }

        @POST
        public FormValidation doCheckExpectStatus(@QueryParameter String value) {
            return Specs.check(() -> statuses("check", value));
        }
    }
}
