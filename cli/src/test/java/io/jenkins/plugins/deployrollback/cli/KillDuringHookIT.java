package io.jenkins.plugins.deployrollback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.support.Machine;
import io.jenkins.plugins.deployrollback.engine.targets.LockInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A real kill -9 while a hook runs, before and after the switch. */
public class KillDuringHookIT {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private CliFixture cli;
    private Path gate;

    @Before
    public void setUp() throws Exception {
        gate = temp.getRoot().toPath().resolve("gate");
        Files.createDirectories(gate);
        // A hook the test holds announces itself, then waits (at most a minute) for the test to let it go.
        cli = new CliFixture(temp.getRoot().toPath(), """
                hooks:
                  - name: migrate
                    phase: beforeSwitch
                    runOn: deploy
                    command: |
                      if [ -f GATE/hold-migrate ]; then touch GATE/in-migrate; i=0; while [ ! -f GATE/go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; fi
                  - name: restart
                    phase: afterSwitch
                    runOn: both
                    command: |
                      if [ -f GATE/hold-restart ]; then touch GATE/in-restart; i=0; while [ ! -f GATE/go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; fi
                """.replace("GATE", gate.toString()));
        assertThat(cli.deploy("r1", true).status()).isZero();
    }

    @After
    public void tearDown() throws Exception {
        Files.writeString(gate.resolve("go"), "");
        cli.close();
    }

    private void killDuring(String hook) throws Exception {
        Files.writeString(gate.resolve("hold-" + hook), "");
        CliProcess process = CliProcess.start(
                cli.dir.resolve("logs"),
                List.of(),
                List.of(
                        "deploy",
                        "staging",
                        "--release",
                        "r2",
                        "--artifact",
                        cli.release("r2", true).toString(),
                        "--build",
                        "app#r2",
                        "--config",
                        cli.config.toString()));
        Await.until("hook " + hook + " to run", Duration.ofMinutes(1), () -> Files.exists(gate.resolve("in-" + hook)));

        process.kill();
        Files.delete(gate.resolve("hold-" + hook));
    }

    /**
     * The hook outlives the killed command line: until it ends, the lock is not taken over, so the same
     * migration never runs twice at once. Then it is let go, and its end awaited.
     */
    private void assertTheOrphanedHookHoldsTheLockUntilItEnds(String hook) throws Exception {
        CliFixture.Result meanwhile = cli.deploy("r2", true);
        assertThat(meanwhile.status()).as(meanwhile.toString()).isEqualTo(ExitCode.LOCKED);
        assertThat(meanwhile.err())
                .contains(
                        "Its hook " + hook + " (pid ",
                        "still runs on this machine although the operation that started it is gone");
        LockInfo lock = Json.mapper().readValue(Files.readAllBytes(cli.target.resolve(".deploy/lock")), LockInfo.class);

        Files.writeString(gate.resolve("go"), "");
        Await.until(
                "the orphaned hook to end",
                Duration.ofMinutes(1),
                () -> !Machine.mayBeAlive(lock.hook().pid(), lock.hook().processStart()));
    }

    @Test
    public void killedDuringABeforeSwitchHookTheOldReleaseKeepsServingAndARerunCompletes() throws Exception {
        killDuring("migrate");

        assertThat(cli.live()).isEqualTo("releases/r1");
        assertTheOrphanedHookHoldsTheLockUntilItEnds("migrate");
        CliFixture.Result rerun = cli.deploy("r2", true);

        assertThat(rerun.status()).as(rerun.toString()).isZero();
        assertThat(rerun.out()).contains("Took over the lock", "is no longer running");
        assertThat(cli.live()).isEqualTo("releases/r2");
    }

    @Test
    public void killedDuringAnAfterSwitchHookTheNewReleaseIsCompleteAndARerunRecordsIt() throws Exception {
        killDuring("restart");
        assertTheOrphanedHookHoldsTheLockUntilItEnds("restart");

        assertThat(cli.live()).isEqualTo("releases/r2");
        CliFixture.Result status = cli.run("status", "staging");
        assertThat(status.out()).contains("MIXED: web-1 serves r2, but the history records r1 as live");
        CliFixture.Result rerun = cli.deploy("r2", true);

        assertThat(rerun.status()).as(rerun.toString()).isZero();
        assertThat(rerun.out()).contains("target web-1: ALREADY_LIVE");
        assertThat(cli.run("status", "staging").out()).contains("consistent: every target serves r2");
    }
}
