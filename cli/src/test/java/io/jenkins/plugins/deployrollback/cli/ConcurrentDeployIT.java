package io.jenkins.plugins.deployrollback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Two deploys to the same environment at once: one wins, the other is refused naming the holder. */
public class ConcurrentDeployIT {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private CliFixture cli;
    private Path gate;

    @Before
    public void setUp() throws Exception {
        gate = temp.getRoot().toPath().resolve("gate");
        Files.createDirectories(gate);
        cli = new CliFixture(temp.getRoot().toPath(), """
                hooks:
                  - name: migrate
                    phase: beforeSwitch
                    runOn: deploy
                    command: |
                      if [ "$DEPLOY_RELEASE" = r2 ]; then touch GATE/started; i=0; while [ ! -f GATE/go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; fi
                """.replace("GATE", gate.toString()));
        assertThat(cli.deploy("r1", true).status()).isZero();
    }

    @After
    public void tearDown() throws Exception {
        Files.writeString(gate.resolve("go"), "");
        cli.close();
    }

    @Test
    public void secondDeployIsRefusedNamingTheHolderAndSinceAndChangesNothing() throws Exception {
        CliProcess first = CliProcess.start(
                cli.dir.resolve("logs"),
                List.of(),
                List.of(
                        "deploy",
                        "staging",
                        "--release",
                        "r2",
                        "--artifact",
                        cli.release("r2", true).toString(),
                        "--config",
                        cli.config.toString(),
                        "--by",
                        "alice"));
        Await.until(
                "the first deploy to hold the lock",
                Duration.ofMinutes(1),
                () -> Files.exists(gate.resolve("started")));

        CliFixture.Result second = cli.deploy("r3", true);

        assertThat(second.status()).as(second.toString()).isEqualTo(ExitCode.LOCKED);
        assertThat(second.err())
                .contains(
                        "Target web-1 is locked by alice on",
                        "(pid " + first.pid() + ")",
                        "deploy staging to r2",
                        "since",
                        "Nothing was changed");
        assertThat(cli.target.resolve("releases/r3")).doesNotExist();
        assertThat(cli.dir.resolve("state/history/releases/r3.json")).doesNotExist();
        assertThat(cli.dir.resolve("state/artifacts/r3")).doesNotExist();

        Files.writeString(gate.resolve("go"), "");

        assertThat(first.waitFor(Duration.ofMinutes(1))).as(first.output()).isZero();
        assertThat(cli.live()).isEqualTo("releases/r2");
        assertThat(cli.deploy("r3", true).status()).isZero();
        assertThat(cli.live()).isEqualTo("releases/r3");
    }
}
