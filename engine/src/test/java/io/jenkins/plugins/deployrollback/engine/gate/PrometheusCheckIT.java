package io.jenkins.plugins.deployrollback.engine.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.jenkins.plugins.deployrollback.engine.flow.DeploymentResult;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.testing.PrometheusServer;
import io.jenkins.plugins.deployrollback.engine.testing.Stack;
import io.jenkins.plugins.deployrollback.engine.testing.SystemProgram;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The Prometheus check against a real Prometheus scraping the live release: each test deploys a
 * release whose {@code metrics.prom} says what it needs, waits until Prometheus has scraped it, and
 * queries. One Prometheus and one stack serve the whole class, since starting Prometheus costs seconds.
 */
public class PrometheusCheckIT {
    @ClassRule
    public static final TemporaryFolder temp = new TemporaryFolder();

    private static Stack stack;
    private static PrometheusServer prometheus;
    private static int deployed;

    @BeforeClass
    public static void startPrometheusScrapingTheLiveRelease() throws Exception {
        SystemProgram.require(SystemProgram.PROMETHEUS);
        stack = new Stack(temp.newFolder("stack").toPath(), 1);
        prometheus = PrometheusServer.start(
                temp.newFolder("prometheus").toPath(),
                List.of(stack.servers.get(0).port()));
    }

    @AfterClass
    public static void stopPrometheusAndTheStack() throws Exception {
        try {
            if (prometheus != null) {
                prometheus.close();
            }
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    @Test
    public void queryAboveItsThresholdFailsNamingTheValueAndTheThreshold() throws Exception {
        goLive("app_error_ratio 0.12\n");
        PrometheusCheck check = check("app_error_ratio", Threshold.atMost(0.05), null);

        Sample sample = check.measure(1, context());

        assertThat(sample.result()).isEqualTo(SampleResult.FAIL);
        assertThat(sample.summary())
                .isEqualTo("app_error_ratio{instance=\"" + instance() + "\", job=\"app\"} 0.12 > 0.05");
        assertThat(sample.measurements()).singleElement().satisfies(m -> {
            assertThat(m.subject()).isEqualTo("app_error_ratio");
            assertThat(m.observed()).endsWith(" 0.12");
            assertThat(m.threshold()).isEqualTo("<= 0.05");
            assertThat(m.result()).isEqualTo(SampleResult.FAIL);
        });
    }

    @Test
    public void queryWithinItsThresholdPasses() throws Exception {
        goLive("app_error_ratio 0.01\n");
        PrometheusCheck check = check("app_error_ratio", Threshold.atMost(0.05), null);

        Sample sample = check.measure(1, context());

        assertThat(sample.result()).isEqualTo(SampleResult.PASS);
        assertThat(sample.summary()).endsWith("} 0.01 <= 0.05");
        assertThat(sample.measurements())
                .singleElement()
                .extracting(Measurement::result)
                .isEqualTo(SampleResult.PASS);
    }

    @Test
    public void scalarResultIsHeldToTheThresholdLikeASeries() throws Exception {
        goLive("app_availability_percent 99.2\n");
        PrometheusCheck check = check("scalar(sum(app_availability_percent))", Threshold.atLeast(99.5), null);

        Sample sample = check.measure(1, context());

        assertThat(sample.result()).isEqualTo(SampleResult.FAIL);
        assertThat(sample.summary()).isEqualTo("99.2 < 99.5");
    }

    @Test
    public void emptyResultCountsAsItsNoDataPolicySays() throws Exception {
        goLive("app_error_ratio 0.01\n");
        String query = "app_error_ratio{route=\"/not-served\"}";

        Sample failing = check(query, Threshold.atMost(0.05), NoDataPolicy.FAIL).measure(1, context());
        Sample inconclusive =
                check(query, Threshold.atMost(0.05), NoDataPolicy.INCONCLUSIVE).measure(1, context());
        Sample passing = check(query, Threshold.atMost(0.05), NoDataPolicy.PASS).measure(1, context());

        assertThat(failing.result()).isEqualTo(SampleResult.FAIL);
        assertThat(failing.summary()).isEqualTo("no data (noData: fail)");
        assertThat(inconclusive.result()).isEqualTo(SampleResult.INCONCLUSIVE);
        assertThat(inconclusive.summary()).isEqualTo("no data (noData: inconclusive)");
        assertThat(passing.result()).isEqualTo(SampleResult.PASS);
        assertThat(passing.summary()).isEqualTo("no data (noData: pass)");
    }

    @Test
    public void notANumberIsNoData() throws Exception {
        goLive("app_error_ratio NaN\n");

        Sample sample = check("app_error_ratio", Threshold.atMost(0.05), null).measure(1, context());

        assertThat(sample.result()).isEqualTo(SampleResult.INCONCLUSIVE);
        assertThat(sample.summary()).isEqualTo("no data (noData: inconclusive)");
    }

    @Test
    public void vectorWithSeveralSeriesFailsNamingOnlyTheBreakingSeries() throws Exception {
        goLive("app_error_ratio{route=\"/cart\"} 0.01\n" + "app_error_ratio{route=\"/checkout\"} 0.12\n"
                + "app_error_ratio{route=\"/search\"} 0.03\n");
        PrometheusCheck check = check("max by (route) (app_error_ratio)", Threshold.atMost(0.05), null);

        Sample sample = check.measure(1, context());

        assertThat(sample.result()).isEqualTo(SampleResult.FAIL);
        assertThat(sample.summary()).isEqualTo("{route=\"/checkout\"} 0.12 > 0.05");
        assertThat(sample.measurements())
                .extracting(Measurement::observed, Measurement::result)
                .containsExactlyInAnyOrder(
                        tuple("{route=\"/cart\"} 0.01", SampleResult.PASS),
                        tuple("{route=\"/checkout\"} 0.12", SampleResult.FAIL),
                        tuple("{route=\"/search\"} 0.03", SampleResult.PASS));
    }

    @Test
    public void queryPrometheusRejectsIsAMeasurementErrorGivingPrometheusReason() throws Exception {
        Sample sample =
                check("rate(app_error_ratio[1m]", Threshold.atMost(0.05), null).measure(1, context());

        assertThat(sample.result()).isEqualTo(SampleResult.ERROR);
        assertThat(sample.summary())
                .startsWith("Prometheus at " + prometheus.url() + " answered HTTP 400 with an error: bad_data: ")
                .contains("parse error");
    }

    @Test
    public void gateFailsWhenEverySampleOfItsWindowBreaksTheThreshold() throws Exception {
        goLive("app_error_ratio 0.12\n");
        Gate gate = new Gate(
                "metrics",
                List.of(check("app_error_ratio", Threshold.atMost(0.05), null)),
                GateWindow.of(2, Duration.ofMillis(50)).withFailureLimit(1));

        GateVerdict verdict = GateEvaluator.evaluate(gate, context());

        assertThat(verdict.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(verdict.checks()).singleElement().satisfies(c -> {
            assertThat(c.samples()).isEqualTo(2);
            assertThat(c.reason()).endsWith("0.12 > 0.05 in 2 of 2 samples (limit 1)");
            assertThat(c.measurements()).extracting(Measurement::sample).containsExactly(1, 2);
        });
    }

    @Test
    public void gatePassesWhenEverySampleOfItsWindowMeetsTheThreshold() throws Exception {
        goLive("app_error_ratio 0.01\n");
        Gate gate = new Gate(
                "metrics",
                List.of(check("app_error_ratio", Threshold.atMost(0.05), null)),
                GateWindow.of(2, Duration.ofMillis(50)));

        GateVerdict verdict = GateEvaluator.evaluate(gate, context());

        assertThat(verdict.verdict()).isEqualTo(Verdict.PASS);
        assertThat(verdict.reason()).endsWith("0.01 <= 0.05 in all 2 samples");
    }

    @Test
    public void rangeSourceReturnsTheValuesScrapedBeforeAndSinceTheGateStarted() throws Exception {
        goLive("app_request_seconds 0.25\n");
        Instant gateStarted = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        goLive("app_request_seconds 0.75\n");
        // The end of the range a whole number of steps after its start, so that its last step is now.
        Duration step = Duration.ofMillis(250);
        long steps = Duration.between(gateStarted, Instant.now()).toMillis() / step.toMillis() + 1;
        GateContext context = GateContext.of(
                        stack.name,
                        ReleaseId.of("r" + deployed),
                        Clock.fixed(gateStarted.plus(step.multipliedBy(steps)), ZoneOffset.UTC))
                .startingAt(gateStarted);

        double[] before =
                range(step, PrometheusRangeSource.Period.BEFORE_GATE_START).values(context);
        double[] since =
                range(step, PrometheusRangeSource.Period.SINCE_GATE_START).values(context);

        assertThat(before).isNotEmpty().containsOnly(0.25);
        assertThat(since).contains(0.75).containsOnly(0.25, 0.75);
    }

    private static PrometheusRangeSource range(Duration step, PrometheusRangeSource.Period period) {
        return new PrometheusRangeSource(prometheus.url(), "app_request_seconds", step, period, null);
    }

    private static PrometheusCheck check(String query, Threshold threshold, NoDataPolicy noData) {
        return new PrometheusCheck("metrics", prometheus.url(), query, threshold, noData, Duration.ofSeconds(5), false);
    }

    /** Deploys a release serving {@code metrics} and waits until Prometheus has scraped it. */
    private static void goLive(String metrics) throws Exception {
        String id = "r" + ++deployed;
        DeploymentResult result = stack.deploy(
                stack.releases.prepare(id, Map.of("index.html", "release " + id + "\n", "metrics.prom", metrics)));
        assertThat(result.succeeded()).as("deploying %s: %s", id, result).isTrue();
        prometheus.awaitScrape(stack.servers.get(0).port());
    }

    private static GateContext context() {
        return GateContext.of(stack.name, ReleaseId.of("r" + Math.max(deployed, 1)), Clock.systemUTC());
    }

    private static String instance() {
        return PrometheusServer.instance(stack.servers.get(0).port());
    }
}
