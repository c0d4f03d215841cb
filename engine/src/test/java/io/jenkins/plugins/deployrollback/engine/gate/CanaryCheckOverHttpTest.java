package io.jenkins.plugins.deployrollback.engine.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.gate.CanaryCheck.Worse;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The canary judge on real latencies: two real HTTP servers, the canary's answers delayed by its
 * release's {@code behaviour} file. Few requests, so the minimum number of values is lowered.
 */
public class CanaryCheckOverHttpTest {
    private static final int REQUESTS = 15;

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final List<ReleaseServer> servers = new ArrayList<>();
    private final GateContext context =
            GateContext.of(EnvironmentName.of("prod"), ReleaseId.of("r2"), Clock.systemUTC());

    @After
    public void closeServers() {
        servers.forEach(ReleaseServer::close);
    }

    @Test
    public void canarySlowerThanItsBaselineBy30MillisecondsFails() throws Exception {
        ReleaseServer canary = server("r2", "delayMs=30\n");
        ReleaseServer baseline = server("r1", "");

        Sample sample = check(canary, baseline).measure(1, context);

        assertThat(sample.result()).as(sample.summary()).isEqualTo(SampleResult.FAIL);
        assertThat(sample.summary())
                .contains(" ms vs baseline ", "15 vs 15 values)")
                .endsWith(": worse");
        assertThat(sample.measurements().get(0).subject()).isEqualTo("canary: latency of GET " + canary.url("/health"));
    }

    @Test
    public void canaryAsFastAsItsBaselinePasses() throws Exception {
        // Both answer after 100 ms: 25 % is 25 ms, more than a loaded machine's scheduling noise shifts a
        // median of 15 requests (one side is measured after the other, so noise need not even out).
        ReleaseServer canary = server("r2", "delayMs=100\n");
        ReleaseServer baseline = server("r1", "delayMs=100\n");

        Sample sample = check(canary, baseline).measure(1, context);

        assertThat(sample.result()).as(sample.summary()).isEqualTo(SampleResult.PASS);
        assertThat(sample.summary()).contains("15 vs 15 values)");
    }

    private CanaryCheck check(ReleaseServer canary, ReleaseServer baseline) {
        return new CanaryCheck(
                "latency",
                HttpLatencySource.of(canary.url("/health"), REQUESTS),
                HttpLatencySource.of(baseline.url("/health"), REQUESTS),
                Worse.HIGHER,
                CanaryCheck.DEFAULT_CONFIDENCE,
                CanaryCheck.DEFAULT_ALLOWED_EFFECT,
                10,
                false);
    }

    /** A live release {@code id} whose {@code behaviour} file is {@code behaviour}, served over real HTTP. */
    private ReleaseServer server(String id, String behaviour) throws IOException {
        Path root = temp.newFolder(id).toPath();
        Path current = Files.createDirectories(root.resolve("current"));
        Files.writeString(current.resolve("index.html"), "release " + id + "\n");
        Files.writeString(current.resolve("behaviour"), behaviour);
        ReleaseServer server = new ReleaseServer(root);
        servers.add(server);
        return server;
    }
}
