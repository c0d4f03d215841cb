package io.jenkins.plugins.deployrollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.config.CanaryCheckSpec;
import io.jenkins.plugins.deployrollback.config.HttpLatencySourceSpec;
import io.jenkins.plugins.deployrollback.config.PrometheusRangeSourceSpec;
import io.jenkins.plugins.deployrollback.engine.gate.CanaryCheck;
import io.jenkins.plugins.deployrollback.engine.gate.HttpCheck;
import io.jenkins.plugins.deployrollback.engine.gate.HttpLatencySource;
import io.jenkins.plugins.deployrollback.engine.gate.PrometheusRangeSource;
import io.jenkins.plugins.deployrollback.engine.gate.TargetLatencySource;
import java.net.URI;
import java.time.Duration;
import org.junit.Test;

/**
 * How a {@code canaryCheck} becomes the engine's {@link CanaryCheck}: its defaults are the engine's
 * (an HTTP source's request interval the command line's),
 * a source's defaults follow its side and the check's {@code minSamples}, an HTTP URL naming
 * {@code {host}} reads the targets of one side of a rollout, and a refusal names the check and the side. No Jenkins is needed: {@code toEngine} is plain conversion.
 */
public class CanaryCheckSpecTest {
    private static final String QUERY = "sum(rate(http_requests_total[1m]))";

    @Test
    public void aCheckGivingOnlyItsSourcesHasTheEnginesDefaultsAndRequestsHttpChecksInterval() {
        CanaryCheckSpec spec = new CanaryCheckSpec(
                "latency",
                new HttpLatencySourceSpec("http://web-1:8080/api"),
                new HttpLatencySourceSpec("http://web-2:8080/api"));

        assertThat(spec.toEngine())
                .isEqualTo(CanaryCheck.of(
                        "latency", latencies("http://web-1:8080/api"), latencies("http://web-2:8080/api")));
    }

    @Test
    public void prometheusRangesWithoutPeriodReadSinceTheGateForTheCanaryAndBeforeItForTheBaseline() {
        CanaryCheckSpec spec = new CanaryCheckSpec(
                "throughput",
                new PrometheusRangeSourceSpec("http://prometheus:9090", QUERY),
                new PrometheusRangeSourceSpec("http://prometheus:9090", QUERY));

        CanaryCheck check = (CanaryCheck) spec.toEngine();

        assertThat(check.canary()).isInstanceOfSatisfying(PrometheusRangeSource.class, canary -> {
            assertThat(canary.period()).isEqualTo(PrometheusRangeSource.Period.SINCE_GATE_START);
            assertThat(canary.step()).isEqualTo(Duration.ofSeconds(15));
        });
        assertThat(check.baseline())
                .isInstanceOfSatisfying(
                        PrometheusRangeSource.class,
                        baseline -> assertThat(baseline.period())
                                .isEqualTo(PrometheusRangeSource.Period.BEFORE_GATE_START));
    }

    @Test
    public void aPeriodGivenOverridesTheSidesDefault() {
        PrometheusRangeSourceSpec alsoSince = new PrometheusRangeSourceSpec("http://prometheus:9090", QUERY);
        alsoSince.setPeriod("sinceGate");
        CanaryCheckSpec spec = new CanaryCheckSpec(
                "throughput", new PrometheusRangeSourceSpec("http://prometheus:9090", QUERY), alsoSince);

        CanaryCheck check = (CanaryCheck) spec.toEngine();

        assertThat(((PrometheusRangeSource) check.baseline()).period())
                .isEqualTo(PrometheusRangeSource.Period.SINCE_GATE_START);
    }

    @Test
    public void httpLatenciesSendMinSamplesRequestsUnlessToldOtherwise() {
        HttpLatencySourceSpec more = new HttpLatencySourceSpec("http://web-2:8080/api");
        more.setRequests(80);
        CanaryCheckSpec spec = new CanaryCheckSpec("latency", new HttpLatencySourceSpec("http://web-1:8080/api"), more);
        spec.setMinSamples(60);

        CanaryCheck check = (CanaryCheck) spec.toEngine();

        assertThat(((HttpLatencySource) check.canary()).requests()).isEqualTo(60);
        assertThat(((HttpLatencySource) check.baseline()).requests()).isEqualTo(80);
    }

    @Test
    public void aUrlNamingTheHostReadsTheTargetsOfEachSideOfARollout() {
        HttpLatencySourceSpec switched = new HttpLatencySourceSpec(" http://{host}:8080/api ");
        switched.setRequests(60);
        CanaryCheckSpec spec =
                new CanaryCheckSpec("latency", switched, new HttpLatencySourceSpec("http://{host}:8080/api"));

        CanaryCheck check = (CanaryCheck) spec.toEngine();

        assertThat(check.canary())
                .isEqualTo(new TargetLatencySource(
                        "http://{host}:8080/api", 60, HttpCheck.DEFAULT_REQUEST_INTERVAL, Duration.ofSeconds(5)));
        assertThat(check.baseline())
                .isEqualTo(new TargetLatencySource(
                        "http://{host}:8080/api",
                        CanaryCheck.DEFAULT_MIN_SAMPLES,
                        HttpCheck.DEFAULT_REQUEST_INTERVAL,
                        Duration.ofSeconds(5)));
        assertThat(check.comparesTargets()).isTrue();
    }

    @Test
    public void aUrlNamingTheHostIsStillHeldToTheRulesOfAUrlAndToMinSamples() {
        CanaryCheckSpec notHttp = new CanaryCheckSpec(
                "latency",
                new HttpLatencySourceSpec("ftp://{host}/api"),
                new HttpLatencySourceSpec("http://{host}:8080/api"));
        HttpLatencySourceSpec few = new HttpLatencySourceSpec("http://{host}:8080/api");
        few.setRequests(10);
        CanaryCheckSpec tooFew =
                new CanaryCheckSpec("latency", new HttpLatencySourceSpec("http://{host}:8080/api"), few);

        assertThatThrownBy(notHttp::toEngine)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Canary check latency, canary source: HTTP latency source has URL")
                .hasMessageContaining("use an absolute http:// or https:// URL");
        assertThatThrownBy(tooFew::toEngine)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Canary check latency, baseline source: 10 requests are fewer than minSamples");
    }

    @Test
    public void allowedEffectIsGivenInPercentAndTheEngineTakesAShare() {
        CanaryCheckSpec spec = new CanaryCheckSpec(
                "latency",
                new HttpLatencySourceSpec("http://web-1:8080/api"),
                new HttpLatencySourceSpec("http://web-2:8080/api"));
        spec.setAllowedEffectPercent(10);
        spec.setWorse("lower");

        CanaryCheck check = (CanaryCheck) spec.toEngine();

        assertThat(check.allowedEffect()).isEqualTo(0.10);
        assertThat(check.worse()).isEqualTo(CanaryCheck.Worse.LOWER);
    }

    @Test
    public void fewerRequestsThanMinSamplesAreRefusedNamingTheCheckAndTheSide() {
        HttpLatencySourceSpec few = new HttpLatencySourceSpec("http://web-2:8080/api");
        few.setRequests(10);
        CanaryCheckSpec spec = new CanaryCheckSpec("latency", new HttpLatencySourceSpec("http://web-1:8080/api"), few);

        assertThatThrownBy(spec::toEngine)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Canary check latency, baseline source: 10 requests are fewer than minSamples (50), so"
                        + " the comparison could never conclude: send at least 50 or lower minSamples");
    }

    @Test
    public void anUnknownPeriodIsRefusedNamingTheWordsAllowed() {
        PrometheusRangeSourceSpec typo = new PrometheusRangeSourceSpec("http://prometheus:9090", QUERY);
        typo.setPeriod("before-gate");
        CanaryCheckSpec spec = new CanaryCheckSpec("throughput", typo, typo);

        assertThatThrownBy(spec::toEngine)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "Canary check throughput, canary source: period \"before-gate\" is not allowed:")
                .hasMessageContaining("use sinceGate")
                .hasMessageContaining("beforeGate");
    }

    @Test
    public void anUnknownDirectionIsRefusedNamingTheWordsAllowed() {
        CanaryCheckSpec spec = new CanaryCheckSpec(
                "latency",
                new HttpLatencySourceSpec("http://web-1:8080/api"),
                new HttpLatencySourceSpec("http://web-2:8080/api"));
        spec.setWorse("up");

        assertThatThrownBy(spec::toEngine)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("worse \"up\" of canary check latency is not allowed: use higher (latency, errors),"
                        + " lower (throughput) or either");
    }

    @Test
    public void aMissingBaselineIsTheEnginesRefusal() {
        CanaryCheckSpec spec = new CanaryCheckSpec("latency", new HttpLatencySourceSpec("http://web-1:8080/api"), null);

        assertThatThrownBy(spec::toEngine)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Canary check latency has no baseline source:");
    }

    /** The engine's latency source as the command line has it by default: minSamples requests, 100 ms apart. */
    private static HttpLatencySource latencies(String url) {
        return new HttpLatencySource(
                URI.create(url), CanaryCheck.DEFAULT_MIN_SAMPLES, HttpCheck.DEFAULT_REQUEST_INTERVAL, null);
    }
}
