package io.jenkins.plugins.deployrollback.engine.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.testing.FreePorts;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The HTTP check against a real web server serving a live release that misbehaves on purpose. */
public class HttpCheckTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final List<ReleaseServer> servers = new ArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();
    private final GateContext context = GateContext.of(
                    EnvironmentName.of("staging"), ReleaseId.of("r1"), Clock.systemUTC())
            .withPause(pauses::add);

    @After
    public void stopServers() {
        servers.forEach(ReleaseServer::close);
    }

    @Test
    public void healthyReleasePassesWithErrorRateAvailabilityAndLatencyAsEvidence() throws Exception {
        URI url = serving(Map.of("index.html", "ok\n"));
        HttpCheck check = check(List.of(url), 20, 99.0, 5.0, null, Duration.ofSeconds(2));

        Sample sample = check.measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.PASS);
        assertThat(sample.summary()).contains("availability 100% >= 99%", "error rate 0% <= 5%", "p95 ");
        assertThat(sample.measurements()).allSatisfy(m -> {
            assertThat(m.subject()).isEqualTo("GET " + url);
            assertThat(m.result()).isEqualTo(SampleResult.PASS);
            assertThat(m.sample()).isEqualTo(1);
        });
        assertThat(sample.measurements())
                .extracting(Measurement::observed)
                .anySatisfy(o -> assertThat(o).isEqualTo("availability 100%"))
                .anySatisfy(o -> assertThat(o).isEqualTo("error rate 0% (0 of 20)"))
                .anySatisfy(o -> assertThat(o).startsWith("p50 "))
                .anySatisfy(o -> assertThat(o).startsWith("p95 "))
                .anySatisfy(o -> assertThat(o).startsWith("p99 "));
    }

    @Test
    public void withoutAnAvailabilityThresholdAvailabilityIsStillMeasuredAsEvidence() throws Exception {
        URI url = serving(Map.of("index.html", "ok\n"));
        HttpCheck check = HttpCheck.of("web", url);

        Sample sample = check.measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.PASS);
        assertThat(sample.measurements())
                .extracting(Measurement::observed)
                .contains("availability 100%", "error rate 0% (0 of 1)");
        assertThat(sample.measurements())
                .filteredOn(m -> m.observed().startsWith("availability"))
                .singleElement()
                .satisfies(m -> assertThat(m.threshold()).isEmpty());
    }

    @Test
    public void tenPercentErrorsFailAFivePercentErrorBudgetNamingTheRate() throws Exception {
        URI url = serving(Map.of("index.html", "ok\n", "behaviour", "errorEvery=10\n"));
        HttpCheck check = check(List.of(url), 20, null, 5.0, null, null);

        Sample sample = check.measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.FAIL);
        assertThat(sample.summary()).isEqualTo("error rate 10% > 5%");
        assertThat(sample.measurements())
                .filteredOn(m -> m.observed().startsWith("error rate"))
                .singleElement()
                .satisfies(m -> {
                    assertThat(m.observed()).isEqualTo("error rate 10% (2 of 20); 2 x status 500");
                    assertThat(m.threshold()).isEqualTo("<= 5%");
                    assertThat(m.result()).isEqualTo(SampleResult.FAIL);
                });
        // Answered with 500 is still answered: the service is available, just wrong.
        assertThat(sample.measurements()).extracting(Measurement::observed).contains("availability 100%");
    }

    @Test
    public void slowTailBreaksTheP95ThresholdWhileTheMedianStaysWithinItsOwn() throws Exception {
        URI url = serving(Map.of("index.html", "ok\n", "behaviour", "slowEvery=10\nslowMs=400\n"));
        HttpCheck check = new HttpCheck(
                "web",
                List.of(url),
                20,
                Duration.ZERO,
                Duration.ofSeconds(5),
                null,
                null,
                null,
                Duration.ofMillis(250),
                Duration.ofMillis(250),
                null,
                false);

        Sample sample = check.measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.FAIL);
        assertThat(sample.summary()).startsWith("p95 ").endsWith(" > 250 ms").doesNotContain("p50");
        assertThat(sample.measurements())
                .filteredOn(m -> m.observed().startsWith("p50"))
                .singleElement()
                .satisfies(m -> assertThat(m.result()).isEqualTo(SampleResult.PASS));
        assertThat(sample.measurements())
                .filteredOn(m -> m.observed().startsWith("p95"))
                .singleElement()
                .satisfies(m -> {
                    assertThat(m.result()).isEqualTo(SampleResult.FAIL);
                    assertThat(m.threshold()).isEqualTo("<= 250 ms");
                });
    }

    @Test
    public void closedPortCountsAgainstAvailabilityAndErrorRate() throws Exception {
        URI closed = URI.create("http://127.0.0.1:" + closedPort() + "/health");
        HttpCheck check = check(List.of(closed), 3, 99.0, 5.0, null, null);

        Sample sample = check.measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.FAIL);
        assertThat(sample.summary()).isEqualTo("availability 0% < 99%; error rate 100% > 5%");
        assertThat(sample.measurements())
                .filteredOn(m -> m.observed().startsWith("error rate"))
                .singleElement()
                .satisfies(m -> assertThat(m.observed()).startsWith("error rate 100% (3 of 3); 3 x "));
    }

    @Test
    public void latencyOfAServiceThatNeverAnsweredIsUnknownAndFails() throws Exception {
        URI closed = URI.create("http://127.0.0.1:" + closedPort() + "/health");
        HttpCheck check = check(List.of(closed), 2, null, null, null, Duration.ofMillis(300));

        Sample sample = check.measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.FAIL);
        assertThat(sample.summary()).isEqualTo("p95 unknown: no request was answered");
        // Availability was held to no threshold here: it is shown as evidence, never as a pass.
        assertThat(sample.measurements())
                .filteredOn(m -> m.observed().startsWith("availability"))
                .singleElement()
                .satisfies(m -> assertThat(m.describe())
                        .startsWith("GET http://127.0.0.1:")
                        .contains(": availability 0%; 2 x ")
                        .endsWith(" (evidence, no threshold)")
                        .doesNotContain("PASS"));
    }

    @Test
    public void answerSlowerThanTheTimeoutIsATransportError() throws Exception {
        URI url = serving(Map.of("index.html", "ok\n", "behaviour", "delayMs=500\n"));
        HttpCheck check = new HttpCheck(
                "web",
                List.of(url),
                1,
                Duration.ZERO,
                Duration.ofMillis(200),
                null,
                99.0,
                null,
                null,
                null,
                null,
                false);

        Sample sample = check.measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.FAIL);
        assertThat(sample.summary()).isEqualTo("availability 0% < 99%");
        assertThat(sample.measurements()).extracting(Measurement::observed).anySatisfy(o -> assertThat(o)
                .contains("no answer within 200 ms"));
    }

    @Test
    public void withSeveralUrlsTheFailingOneIsNamed() throws Exception {
        URI healthy = serving(Map.of("index.html", "ok\n"));
        URI failing = serving(Map.of("index.html", "ok\n", "behaviour", "errorEvery=2\n"));
        HttpCheck check = check(List.of(healthy, failing), 4, null, 5.0, null, null);

        Sample sample = check.measure(1, context);

        assertThat(sample.result()).isEqualTo(SampleResult.FAIL);
        assertThat(sample.summary()).isEqualTo("error rate 50% > 5% on " + failing);
        assertThat(sample.measurements())
                .filteredOn(m -> m.result() == SampleResult.FAIL)
                .extracting(Measurement::subject)
                .containsOnly("GET " + failing);
    }

    @Test
    public void requestsOfOneSampleArePacedByTheContextsPause() throws Exception {
        URI url = serving(Map.of("index.html", "ok\n"));
        HttpCheck check = new HttpCheck(
                "web", List.of(url), 3, Duration.ofMillis(50), null, null, null, null, null, null, null, false);

        check.measure(1, context);

        assertThat(pauses).containsExactly(Duration.ofMillis(50), Duration.ofMillis(50));
    }

    @Test
    public void unexpectedStatusIsAnErrorUnlessListedAsExpected() throws Exception {
        URI url = serving(Map.of("index.html", "ok\n", "status", "503\n"));
        URI health = url.resolve("/health");

        Sample strict = HttpCheck.of("web", health).measure(1, context);
        Sample lenient = new HttpCheck(
                        "web", List.of(health), 1, null, null, List.of(503), null, null, null, null, null, false)
                .measure(2, context);

        assertThat(strict.result()).isEqualTo(SampleResult.FAIL);
        assertThat(strict.summary()).isEqualTo("error rate 100% > 0%");
        assertThat(strict.measurements())
                .extracting(Measurement::observed)
                .contains("error rate 100% (1 of 1); 1 x status 503");
        assertThat(lenient.result()).isEqualTo(SampleResult.PASS);
    }

    @Test
    public void urlMustBeAbsoluteHttp() {
        assertThatThrownBy(() -> HttpCheck.of("web", URI.create("ftp://example.com/health")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("HTTP check web has URL \"ftp://example.com/health\": use an absolute http:// or https://"
                        + " URL");
        assertThatThrownBy(() -> HttpCheck.of("web", URI.create("/health")))
                .hasMessageContaining("use an absolute http:// or https:// URL");
        assertThatThrownBy(() -> check(List.of(), 1, null, null, null, null))
                .hasMessage("HTTP check web has no URL: give at least one http:// URL");
    }

    @Test
    public void atLeastOneRequestPerSample() {
        assertThatThrownBy(() -> check(List.of(URI.create("http://127.0.0.1/")), 0, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("HTTP check web sends 0 requests per sample: use 1 to 10000");
    }

    @Test
    public void percentagesMustLieBetweenZeroAndHundred() {
        URI url = URI.create("http://127.0.0.1/");
        assertThatThrownBy(() -> check(List.of(url), 1, null, 120.0, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("HTTP check web has maximum error rate 120.0: use a percentage from 0 to 100");
        assertThatThrownBy(() -> check(List.of(url), 1, -1.0, null, null, null))
                .hasMessage("HTTP check web has minimum availability -1.0: use a percentage from 0 to 100");
        assertThatThrownBy(() -> check(List.of(url), 1, Double.NaN, null, null, null))
                .hasMessageContaining("use a percentage from 0 to 100");
    }

    @Test
    public void latencyThresholdsMustBePositive() {
        URI url = URI.create("http://127.0.0.1/");
        assertThatThrownBy(() -> check(List.of(url), 1, null, null, null, Duration.ofMillis(-100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("HTTP check web has a p95 threshold of ")
                .hasMessageEndingWith(": use a positive duration such as 300ms");
        assertThatThrownBy(() -> check(List.of(url), 1, null, null, Duration.ZERO, null))
                .hasMessageStartingWith("HTTP check web has a p50 threshold of ");
    }

    /** A check of {@code requests} requests per sample, sent back to back, with the thresholds given. */
    private static HttpCheck check(
            List<URI> urls,
            int requests,
            Double minAvailability,
            Double maxErrorRate,
            Duration maxP50,
            Duration maxP95) {
        return new HttpCheck(
                "web",
                urls,
                requests,
                Duration.ZERO,
                Duration.ofSeconds(5),
                null,
                minAvailability,
                maxErrorRate,
                maxP50,
                maxP95,
                null,
                false);
    }

    /** A real server whose live release ({@code current}) holds {@code files}; the URL of its {@code /}. */
    private URI serving(Map<String, String> files) throws IOException {
        Path root = temp.newFolder().toPath();
        Path release = Files.createDirectories(root.resolve("releases/r1"));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(release.resolve(file.getKey()), file.getValue());
        }
        Files.createSymbolicLink(root.resolve("current"), Path.of("releases/r1"));
        ReleaseServer server = new ReleaseServer(root);
        servers.add(server);
        return server.url("/");
    }

    /** A loopback port nothing listens on (any more). */
    private static int closedPort() throws IOException {
        return FreePorts.closed("127.0.0.1");
    }
}
