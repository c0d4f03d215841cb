package io.jenkins.plugins.deployrollback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.testing.Ledgers;
import io.jenkins.plugins.deployrollback.engine.testing.SshServer;
import io.jenkins.plugins.deployrollback.engine.testing.SshServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A rolling deploy over five real sshd hosts, killed with {@code kill -9} between two batches: the
 * first batch serves r2, the others r1. {@code status} says so host by host, and the next command
 * brings every host to one release.
 */
public class StrategiesCrashIT {
    private static final String ENVIRONMENT = "production";
    private static final Duration COMMAND_LIMIT = Duration.ofMinutes(2);

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Rule
    public SshServers hosts = new SshServers(5);

    private Path dir;
    private Path config;
    private Path gate;

    @Before
    public void setUp() throws Exception {
        dir = temp.getRoot().toPath();
        config = dir.resolve("deploy-rollback.yaml");
        gate = Files.createDirectories(dir.resolve("gate"));
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(
                knownHosts,
                String.join(
                                "\n",
                                hosts.all().stream()
                                        .map(SshServer::knownHostsLine)
                                        .toList()) + "\n");
        Path deployKey = hosts.get(0).userKeyFile();
        for (SshServer host : hosts.all().subList(1, hosts.all().size())) {
            Files.writeString(
                    host.userKeyFile().resolveSibling("authorized_keys"),
                    Files.readString(deployKey.resolveSibling("user_key.pub")),
                    StandardOpenOption.APPEND);
        }
        StringBuilder targets = new StringBuilder();
        for (SshServer host : hosts.all()) {
            targets.append("""
                    - host: %s
                      port: %d
                      name: %s
                      path: %s
                    """.formatted(host.host(), host.port(), host.name(), host.root()));
        }
        // The test holds the first batch's after-switch hook (web-1 and web-2 already switched to r2)
        // while it kills the command line; the hook then ends on its own once let go.
        Files.writeString(config, """
                state: state
                environments:
                  production:
                    strategy:
                      rolling: {batch: 2}
                    ssh:
                      user: %s
                      identityFile: %s
                      knownHosts: known_hosts
                      hostKeyPolicy: strict
                      connectTimeout: 5s
                    hooks:
                      - name: restart
                        phase: afterSwitch
                        runOn: deploy
                        command: |
                          if [ -f GATE/hold ]; then touch "GATE/in-$DEPLOY_TARGET"; i=0; while [ ! -f GATE/go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; touch "GATE/out-$DEPLOY_TARGET"; fi
                    targets:
                %s""".replace("GATE", gate.toString())
                .formatted(hosts.get(0).user(), deployKey, targets.toString().indent(6)));
        assertThat(deploy("r1").status()).isZero();
        Files.writeString(gate.resolve("hold"), "");
        CliProcess killed = CliProcess.start(
                dir.resolve("logs"),
                List.of(),
                withConfig(
                        "deploy",
                        ENVIRONMENT,
                        "--release",
                        "r2",
                        "--artifact",
                        release("r2").toString()));
        Await.until(
                "the first batch's hooks to run",
                COMMAND_LIMIT,
                () -> Files.exists(gate.resolve("in-web-1")) && Files.exists(gate.resolve("in-web-2")));

        killed.kill();

        Files.delete(gate.resolve("hold"));
        Files.writeString(gate.resolve("go"), "");
        Await.until(
                "the orphaned hooks to end",
                COMMAND_LIMIT,
                () -> Files.exists(gate.resolve("out-web-1")) && Files.exists(gate.resolve("out-web-2")));
    }

    @After
    public void letGo() throws IOException {
        Files.writeString(gate.resolve("go"), "");
    }

    @Test
    public void statusShowsTheMixedEnvironmentHostByHostAndARollbackBringsEveryHostToTheLastKnownGood()
            throws Exception {
        assertThat(lives()).containsExactly("r2", "r2", "r1", "r1", "r1");

        Run status = cli("status", ENVIRONMENT);

        assertThat(status.out())
                .contains("MIXED: web-1, web-2 serve r2; web-3, web-4, web-5 serve r1")
                .contains("Unfinished: deploy of r2");

        Run rollback = cli("rollback", ENVIRONMENT);

        assertThat(rollback.status()).as(rollback.toString()).isZero();
        assertThat(rollback.output())
                .contains("the targets serve different releases (web-1: r2, web-2: r2, web-3: r1, web-4: r1,"
                        + " web-5: r1): bringing every target to the last known good release r1")
                .contains("target web-3: ALREADY_LIVE");
        assertThat(lives()).containsExactly("r1", "r1", "r1", "r1", "r1");
        assertThat(switches(0)).containsExactly("null->r1", "r1->r2", "r2->r1");
        // The hosts the killed deploy never reached were never touched by either command.
        assertThat(switches(4)).containsExactly("null->r1");
        assertThat(cli("status", ENVIRONMENT).out()).contains("consistent: every target serves r1");
    }

    @Test
    public void runningTheKilledDeployAgainCompletesItOnTheHostsItHadNotReached() throws Exception {
        Run again = deploy("r2");

        assertThat(again.status()).as(again.toString()).isZero();
        assertThat(again.output())
                .contains("completing the unfinished deploy of r2")
                .contains("target web-1: ALREADY_LIVE", "target web-5: SWITCH");
        assertThat(lives()).containsExactly("r2", "r2", "r2", "r2", "r2");
        assertThat(switches(0)).containsExactly("null->r1", "r1->r2");
        assertThat(cli("status", ENVIRONMENT).out()).contains("consistent: every target serves r2");
    }

    // ---- helpers -------------------------------------------------------------------------------

    private record Run(String command, int status, String out, String err) {
        String output() {
            return out + err;
        }

        @Override
        public String toString() {
            return command + ": exit " + status + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private Run deploy(String release) throws Exception {
        return cli(
                "deploy",
                ENVIRONMENT,
                "--release",
                release,
                "--artifact",
                release(release).toString());
    }

    private Run cli(String... args) throws Exception {
        CliProcess process = CliProcess.start(dir.resolve("logs"), java.util.Map.of(), withConfig(args));
        int status = process.waitFor(COMMAND_LIMIT);
        return new Run(String.join(" ", args), status, process.stdout(), process.stderr());
    }

    private List<String> withConfig(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--config", config.toString(), "--by", "tester"));
        return all;
    }

    private Path release(String id) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("artifacts").resolve(id));
        Files.writeString(folder.resolve("index.html"), "release " + id + "\n");
        return folder;
    }

    private List<String> lives() throws IOException {
        List<String> lives = new ArrayList<>();
        for (SshServer host : hosts.all()) {
            lives.add(Files.readSymbolicLink(host.root().resolve("current"))
                    .getFileName()
                    .toString());
        }
        return lives;
    }

    private List<String> switches(int index) throws IOException {
        return Ledgers.switches(hosts.get(index).root());
    }
}
