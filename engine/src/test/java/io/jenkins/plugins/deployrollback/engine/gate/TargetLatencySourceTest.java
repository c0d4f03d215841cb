package io.jenkins.plugins.deployrollback.engine.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class TargetLatencySourceTest {
    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    private List<ReleaseServer> servers;
    private String url;

    @Before
    public void twoHostsOnTheSamePort() throws IOException {
        Path one = release("one", "");
        Path two = release("two", "delayMs=300\n");
        servers = ReleaseServer.onAddresses(List.of(one, two), List.of("127.0.0.21", "127.0.0.22"));
        url = "http://{host}:" + servers.get(0).url("/").getPort() + "/";
    }

    @After
    public void stop() {
        servers.forEach(ReleaseServer::close);
    }

    @Test
    public void eachSideAsksOnlyItsOwnTargetsHosts() throws Exception {
        TargetLatencySource source = new TargetLatencySource(url, 6, null, null);
        GateContext context = context()
                .withSides(new TargetSides(
                        List.of("web-2"), List.of("web-1"), Map.of("web-1", "127.0.0.21", "web-2", "127.0.0.22")));

        double[] canary = source.values(context, true);
        double[] baseline = source.values(context, false);

        assertThat(canary).hasSize(6);
        assertThat(java.util.Arrays.stream(canary).min().orElseThrow()).isGreaterThanOrEqualTo(300);
        assertThat(baseline).hasSize(6);
        assertThat(java.util.Arrays.stream(baseline).max().orElseThrow()).isLessThan(250);
    }

    @Test
    public void requestsAreSharedOutOverTheSidesHosts() throws Exception {
        TargetLatencySource source = new TargetLatencySource(url, 5, null, null);
        GateContext context = context()
                .withSides(new TargetSides(
                        List.of("web-1", "web-2"), List.of(), Map.of("web-1", "127.0.0.21", "web-2", "127.0.0.22")));

        double[] values = source.values(context, true);

        // 3 to the first host (fast), 2 to the second (300 ms slower).
        assertThat(values).hasSize(5);
        assertThat(java.util.Arrays.stream(values).filter(ms -> ms >= 300).count())
                .isEqualTo(2);
    }

    @Test
    public void outsideARolloutInStepsItSaysWhereItCanBeUsed() {
        TargetLatencySource source = new TargetLatencySource(url, 5, null, null);

        assertThatThrownBy(() -> source.values(context(), true))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("reads the targets of a rollout in steps, and prod is not in the middle of one");
    }

    @Test
    public void aUrlWithoutHostIsRefused() {
        assertThatThrownBy(() -> new TargetLatencySource("http://web-1:8080/", 5, null, null))
                .hasMessageContaining("its URL needs {host} where each target's host goes");
        assertThatThrownBy(() -> new TargetLatencySource("ftp://{host}/", 5, null, null))
                .hasMessageContaining("use an absolute http:// or https:// URL");
        assertThat(new TargetLatencySource(url, 5, null, null).readsTargetSides())
                .isTrue();
    }

    private static GateContext context() {
        return GateContext.of(EnvironmentName.of("prod"), ReleaseId.of("r2"), Clock.systemUTC());
    }

    private Path release(String name, String behaviour) throws IOException {
        Path root = temp.newFolder(name).toPath();
        Path release = Files.createDirectories(root.resolve("releases/r1"));
        Files.writeString(release.resolve("index.html"), name);
        Files.writeString(release.resolve("behaviour"), behaviour);
        Files.createSymbolicLink(root.resolve("current"), Path.of("releases/r1"));
        return root;
    }
}
