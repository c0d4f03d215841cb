package io.jenkins.plugins.deployrollback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.support.CrashPoint;
import java.time.Duration;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A deploy killed between its switch and its record leaves the targets on a release the history does
 * not know is live. The next rollback must plan from what the targets serve, and check what it
 * crosses: here a schema migration nobody recorded going live.
 */
public class InterruptedThenRollbackIT {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private CliFixture cli;

    @Before
    public void setUp() throws Exception {
        cli = new CliFixture(temp.getRoot().toPath(), null);
        assertThat(cli.deploy("r1", true).status()).isZero();
        assertThat(cli.deploy("r2", true).status()).isZero();
    }

    @After
    public void tearDown() {
        cli.close();
    }

    @Test
    public void rollbackAfterAnInterruptedDeployPlansFromWhatTheTargetsServeAndRefusesToCrossItsMigration()
            throws Exception {
        CliProcess crashed = CliProcess.start(
                cli.dir.resolve("logs"),
                List.of("-D" + CrashPoint.PROPERTY + "=switched"),
                List.of(
                        "deploy",
                        "staging",
                        "--release",
                        "r3",
                        "--artifact",
                        cli.release("r3", true).toString(),
                        "--fact",
                        "schemaMigration",
                        "--config",
                        cli.config.toString()));
        assertThat(crashed.waitFor(Duration.ofMinutes(1))).as(crashed.output()).isEqualTo(CrashPoint.EXIT_STATUS);
        assertThat(cli.live()).isEqualTo("releases/r3");

        assertThat(cli.run("status", "staging").out())
                .contains("MIXED: web-1 serves r3, but the history records r2 as live")
                .contains("Unfinished: deploy of r3 (from r2) by ")
                .contains("Run the same command again to complete it, or run rollback to bring every target back to"
                        + " r2.");

        CliFixture.Result refused = cli.run("rollback", "staging");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(refused.err())
                .contains("rollback staging: r3 -> r2")
                .contains("the targets serve r3 but the history records r2")
                .contains("crosses r3, which declares schemaMigration");
        assertThat(cli.live()).isEqualTo("releases/r3");

        CliFixture.Result forced = cli.run("rollback", "staging", "--force", "--reason", "r3 was never verified");

        assertThat(forced.status()).as(forced.toString()).isZero();
        assertThat(cli.live()).isEqualTo("releases/r2");
        assertThat(cli.run("history", "staging").out()).containsPattern("rollback +r2 +r3 +SUCCEEDED +r2");
    }
}
