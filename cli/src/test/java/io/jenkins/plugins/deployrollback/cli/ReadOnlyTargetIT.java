package io.jenkins.plugins.deployrollback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.testing.ReadOnlyMounts;
import java.time.Duration;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Reading never needs a write: {@code status} and {@code history} work on a target (and a state
 * folder) whose disk was remounted read-only, and say that deploys there will fail.
 */
public class ReadOnlyTargetIT {
    private static final Duration LIMIT = Duration.ofMinutes(1);

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private CliFixture cli;

    @Before
    public void setUp() throws Exception {
        cli = new CliFixture(temp.newFolder("work").toPath(), null);
    }

    @After
    public void tearDown() {
        cli.close();
    }

    @Test
    public void statusAndHistoryWorkOnAReadOnlyDiskAndSaySoWhileADeployFailsChangingNothing() throws Exception {
        assertThat(cli.deploy("r1", true).status()).isEqualTo(ExitCode.OK);
        assertThat(cli.deploy("r2", true).status()).isEqualTo(ExitCode.OK);
        cli.release("r3", true);
        ReadOnlyMounts.require(cli.dir);

        CliProcess status = readOnly("status", "staging");
        CliProcess history = readOnly("history", "staging");
        CliProcess deploy = readOnly(
                "deploy",
                "staging",
                "--release",
                "r3",
                "--artifact",
                cli.dir.resolve("artifacts/r3").toString());

        assertThat(status.waitFor(LIMIT)).as(status.output()).isEqualTo(ExitCode.OK);
        assertThat(status.stdout())
                .contains("live r2")
                .contains("WARNING web-1: " + cli.target + " is not writable (a read-only file system, or no write"
                        + " permission for this user): what it serves is"
                        + " shown, but deploys and rollbacks here fail until it is writable again");
        assertThat(history.waitFor(LIMIT)).as(history.output()).isEqualTo(ExitCode.OK);
        assertThat(history.stdout()).contains("r1").contains("r2");
        assertThat(deploy.waitFor(LIMIT)).as(deploy.output()).isNotEqualTo(ExitCode.OK);
        assertThat(deploy.stderr()).contains("Read-only file system");
        assertThat(cli.live()).isEqualTo("releases/r2");
        assertThat(cli.target.resolve("releases/r3")).doesNotExist();
    }

    private CliProcess readOnly(String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--config", cli.config.toString(), "--by", "tester"));
        return CliProcess.startWrapped(
                temp.newFolder().toPath(), command -> ReadOnlyMounts.under(cli.dir, command), all);
    }
}
