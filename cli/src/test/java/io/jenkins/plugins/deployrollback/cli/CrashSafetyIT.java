package io.jenkins.plugins.deployrollback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.support.CrashPoint;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Kills the command line at every stage of a deploy, of a deploy that rolls back, and of a rollback
 * (the process halts on the spot, as with kill -9), then checks that the target still serves a
 * complete release, the history still reads, and the same command run again completes.
 */
@RunWith(Parameterized.class)
public class CrashSafetyIT {
    @Parameters(name = "{0} killed at {1}")
    public static Collection<Object[]> points() {
        List<Object[]> cases = new ArrayList<>();
        for (String point : List.of(
                "locked",
                "mid-stage",
                "staged",
                "before-switch-hooks",
                "mid-switch",
                "switched",
                "after-switch-hooks",
                "verified",
                "retained",
                "mid-record",
                "recorded")) {
            cases.add(new Object[] {"deploy", point});
        }
        for (String point : List.of("switched", "rolled-back", "mid-record")) {
            cases.add(new Object[] {"failing deploy", point});
        }
        for (String point : List.of("locked", "mid-switch", "switched", "after-switch-hooks", "mid-record")) {
            cases.add(new Object[] {"rollback", point});
        }
        return cases;
    }

    private final String operation;
    private final String point;

    public CrashSafetyIT(String operation, String point) {
        this.operation = operation;
        this.point = point;
    }

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private CliFixture cli;

    @Before
    public void setUp() throws Exception {
        cli = new CliFixture(temp.getRoot().toPath(), """
                hooks:
                  - name: prepare
                    phase: beforeSwitch
                    runOn: both
                    command: echo preparing $DEPLOY_RELEASE
                  - name: restart
                    phase: afterSwitch
                    runOn: both
                    command: echo restarting $DEPLOY_RELEASE
                """);
        assertThat(cli.deploy("r1", true).status()).isZero();
        if (operation.equals("rollback")) {
            assertThat(cli.deploy("r2", true).status()).isZero();
        }
    }

    @After
    public void tearDown() {
        cli.close();
    }

    private List<String> command() throws Exception {
        return switch (operation) {
            case "deploy" ->
                List.of(
                        "deploy",
                        "staging",
                        "--release",
                        "r2",
                        "--artifact",
                        cli.release("r2", true).toString());
            case "failing deploy" ->
                List.of(
                        "deploy",
                        "staging",
                        "--release",
                        "r2",
                        "--artifact",
                        cli.release("r2", false).toString());
            default -> List.of("rollback", "staging");
        };
    }

    private int expectedRerunStatus() {
        return operation.equals("failing deploy") ? ExitCode.ROLLED_BACK : ExitCode.OK;
    }

    private String expectedLiveAfterRerun() {
        return operation.equals("deploy") ? "releases/r2" : "releases/r1";
    }

    @Test
    public void targetKeepsServingACompleteReleaseHistoryReadsAndARerunCompletes() throws Exception {
        List<String> args = new ArrayList<>(command());
        args.addAll(List.of("--config", cli.config.toString(), "--by", "crashing-tester"));

        CliProcess crashed =
                CliProcess.start(cli.dir.resolve("logs"), List.of("-D" + CrashPoint.PROPERTY + "=" + point), args);

        assertThat(crashed.waitFor(Duration.ofMinutes(1))).as(crashed.output()).isEqualTo(CrashPoint.EXIT_STATUS);
        assertServesACompleteRelease();
        CliFixture.Result history = cli.run("history", "staging");
        assertThat(history.status()).as(history.toString()).isZero();
        if (point.equals("mid-record")) {
            assertThat(history.out()).contains("WARNING").contains("incomplete");
        }

        CliFixture.Result rerun = cli.run(command().toArray(String[]::new));

        assertThat(rerun.status()).as(rerun.toString()).isEqualTo(expectedRerunStatus());
        assertThat(cli.live()).isEqualTo(expectedLiveAfterRerun());
        assertServesACompleteRelease();
        assertThat(cli.target.resolve(".deploy/lock")).doesNotExist();
        try (var leftovers = Files.list(cli.target.resolve(".deploy/staging"))) {
            assertThat(leftovers).isEmpty();
        }
        try (var links = Files.list(cli.target)) {
            assertThat(links.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".current-"));
        }
        if (operation.equals("rollback")) {
            CliFixture.Result recorded = cli.run("history", "staging", "--json");
            assertThat(recorded.out())
                    .as("the completed rollback left r2")
                    .containsPattern("\"operation\" : \"rollback\",\\s+\"release\" : \"r1\",\\s+\"previous\" : \"r2\"");
        }
        CliFixture.Result status = cli.run("status", "staging", "--json");
        assertThat(status.out()).as(status.toString()).contains("\"consistent\" : true");
    }

    /** current is a link to a release folder that is whole, and the web server serves it. */
    private void assertServesACompleteRelease() throws Exception {
        String live = cli.live();
        assertThat(live).isIn("releases/r1", "releases/r2");
        Path folder = cli.target.resolve(live);
        String id = folder.getFileName().toString();
        assertThat(cli.target.resolve(".deploy/manifests").resolve(id)).exists();
        assertThat(Files.readString(folder.resolve("index.html"))).isEqualTo("release " + id + "\n");
        HttpResponse<String> page = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(cli.server.url("/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).isEqualTo("release " + id + "\n");
    }
}
