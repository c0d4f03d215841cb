package io.jenkins.plugins.deployrollback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.support.Machine;
import io.jenkins.plugins.deployrollback.engine.targets.LockInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class UnlockTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private CliFixture cli;
    private Path lockFile;
    private Process holder;

    @Before
    public void setUp() throws Exception {
        cli = new CliFixture(temp.getRoot().toPath(), null);
        lockFile = cli.target.resolve(".deploy/lock");
        assertThat(cli.deploy("r1", true).status()).isEqualTo(ExitCode.OK);
    }

    @After
    public void tearDown() {
        if (holder != null) {
            holder.destroyForcibly();
        }
        cli.close();
    }

    /** The lock carol's deploy, run by process {@code pid} of this machine started then, would have left. */
    private void lockedBy(long pid, Instant processStart) throws Exception {
        Instant now = Instant.now();
        Files.write(
                lockFile,
                Json.mapper()
                        .writeValueAsBytes(new LockInfo(
                                "carol",
                                Machine.hostName(),
                                pid,
                                processStart,
                                "deploy r9 to staging",
                                "carols-token",
                                now,
                                now.plus(Duration.ofMinutes(30)),
                                null)));
    }

    private String ledger() throws Exception {
        return Files.readString(cli.target.resolve(".deploy/ledger"));
    }

    @Test
    public void aLockWhoseProcessIsGoneIsReleasedNamingItsHolderAndTheNextDeployRuns() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        Instant started = gone.toHandle().info().startInstant().orElse(Instant.now());
        gone.waitFor();
        lockedBy(gone.pid(), started);

        CliFixture.Result unlocked = cli.run("unlock", "staging");

        assertThat(unlocked.status()).as(unlocked.toString()).isEqualTo(ExitCode.OK);
        assertThat(unlocked.out())
                .contains("web-1: released the lock of carol on " + Machine.hostName() + " (pid " + gone.pid()
                        + "), deploy r9 to staging")
                .contains("its process (pid " + gone.pid() + " on this machine) is no longer running");
        assertThat(lockFile).doesNotExist();
        assertThat(ledger()).contains("lock-takeover").contains("carol");
        assertThat(cli.deploy("r2", true).status()).isEqualTo(ExitCode.OK);
    }

    @Test
    public void aLockWhoseHolderStillRunsIsLeftAloneUnlessForced() throws Exception {
        holder = new ProcessBuilder("sleep", "600").start();
        lockedBy(holder.pid(), holder.toHandle().info().startInstant().orElseThrow());
        byte[] before = Files.readAllBytes(lockFile);

        CliFixture.Result refused = cli.run("unlock", "staging");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(ExitCode.LOCKED);
        assertThat(refused.out())
                .contains("web-1: REFUSED: locked by carol on " + Machine.hostName() + " (pid " + holder.pid() + ")")
                .contains("its holder may still be running; nothing was changed")
                .contains("unlock --force");
        assertThat(Files.readAllBytes(lockFile)).isEqualTo(before);

        CliFixture.Result forced = cli.run("unlock", "staging", "--force");

        assertThat(forced.status()).as(forced.toString()).isEqualTo(ExitCode.OK);
        assertThat(forced.out())
                .contains("web-1: FORCED: released the lock of carol")
                .contains("forced by tester");
        assertThat(lockFile).doesNotExist();
        assertThat(ledger()).contains("forced: unlock --force by tester");
        assertThat(cli.deploy("r2", true).status()).isEqualTo(ExitCode.OK);
    }

    @Test
    public void anUnlockedEnvironmentSaysSo() throws Exception {
        CliFixture.Result unlocked = cli.run("unlock", "staging");

        assertThat(unlocked.status()).isEqualTo(ExitCode.OK);
        assertThat(unlocked.out()).contains("web-1: not locked");
    }
}
