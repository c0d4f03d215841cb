package io.jenkins.plugins.deployrollback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.testing.ExecResult;
import io.jenkins.plugins.deployrollback.engine.testing.FileTreeSnapshot;
import io.jenkins.plugins.deployrollback.engine.testing.SshServer;
import io.jenkins.plugins.deployrollback.engine.testing.SshServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The command line over real SSH, as a user runs it: the jar as a process, three hosts (each a real
 * sshd on a loopback port with its own deploy root), and a configuration written the way
 * docs/configuration.md describes it, with strict host key checking against a known_hosts file.
 */
public class SshDeployIT {
    private static final String ENVIRONMENT = "production";
    private static final String PASSPHRASE_VARIABLE = "DEPLOY_SSH_PASSPHRASE";
    private static final Duration COMMAND_LIMIT = Duration.ofMinutes(1);

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Rule
    public SshServers hosts = new SshServers(3);

    private Path dir;
    private Path config;
    private Path knownHosts;
    /** Every command run so far, to search all their output for secrets. */
    private final List<CliRun> runs = new ArrayList<>();

    @Before
    public void setUp() throws IOException {
        dir = temp.getRoot().toPath();
        config = dir.resolve("deploy-rollback.yaml");
        knownHosts = dir.resolve("known_hosts");
        writeKnownHosts(hosts.all().stream().map(SshServer::knownHostsLine).toList());
        // One deploy key for every host, as in production: web-1's user key, authorized on the others too.
        Path deployKey = hosts.get(0).userKeyFile();
        authorize(
                Files.readString(deployKey.resolveSibling("user_key.pub")),
                hosts.all().subList(1, 3));
        writeConfig("identityFile: " + deployKey, "");
    }

    @Test
    public void deploysToEveryHostThenRollsBackBySwitchingOnly() throws Exception {
        CliRun first = deploy("r1");
        CliRun second = deploy("r2");

        assertThat(first.status()).as(first.toString()).isEqualTo(ExitCode.OK);
        assertThat(second.status()).as(second.toString()).isEqualTo(ExitCode.OK);
        assertThat(second.out()).contains("SUCCEEDED: production now serves r2 (was r1).");
        for (SshServer host : hosts.all()) {
            assertThat(live(host)).as(host.name()).isEqualTo("releases/r2");
            assertThat(host.root().resolve("releases/r2/index.html")).content().isEqualTo("release r2\n");
        }
        CliRun history = cli("history", ENVIRONMENT, "--json");
        assertThat(history.status()).as(history.toString()).isEqualTo(ExitCode.OK);
        assertThat(records(history)).containsExactly("deploy r1 SUCCEEDED", "deploy r2 SUCCEEDED");
        CliRun status = cli("status", ENVIRONMENT);
        assertThat(status.status()).as(status.toString()).isEqualTo(ExitCode.OK);
        assertThat(status.out())
                .contains("Environment production: live r2 (recorded)", "consistent: every target serves r2");
        for (SshServer host : hosts.all()) {
            assertThat(status.out())
                    .containsPattern("(?m)^" + host.name() + "\\s+r2\\s+r1 r2\\s+-\\s+r1 -> r2 by \\S+ \\(deploy\\) at"
                            + " \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$");
        }

        CliRun rollback = cli("rollback", ENVIRONMENT, "--json");

        System.out.printf(
                "SshDeployIT: rollback of %d hosts over SSH took %d ms (the CLI process's wall time, JVM start"
                        + " included)%n",
                hosts.all().size(), rollback.took().toMillis());
        assertThat(rollback.status()).as(rollback.toString()).isEqualTo(ExitCode.OK);
        Map<?, ?> result = Json.mapper().readValue(rollback.out(), Map.class);
        assertThat(result.get("outcome")).isEqualTo("SUCCEEDED");
        assertThat(result.get("live")).isEqualTo("r1");
        assertThat(rollback.err())
                .as("progress: r1 is still on every host, so nothing is staged and current is switched")
                .doesNotContain("[stage]");
        List<?> targets = (List<?>) ((Map<?, ?>) result.get("record")).get("targets");
        assertThat(targets)
                .extracting(t -> ((Map<?, ?>) t).get("target") + ": " + ((Map<?, ?>) t).get("steps"))
                .allMatch(t -> t.contains("r1 present, switch only"))
                .hasSize(3);
        for (SshServer host : hosts.all()) {
            assertThat(rollback.err()).contains("target " + host.name() + ": SWITCH");
            assertThat(live(host)).as(host.name()).isEqualTo("releases/r1");
        }
    }

    @Test
    public void hostDownFailsTheDeployNamingItWhileTheOthersKeepServingAndItSucceedsOnceTheHostIsBack()
            throws Exception {
        assertThat(deploy("r1").status()).isEqualTo(ExitCode.OK);
        SshServer down = hosts.get(1);
        down.kill();

        CliRun failed = deploy("r2");

        assertThat(failed.status()).as(failed.toString()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(failed.err())
                .contains(
                        "web-2: Connection to web-2 (127.0.0.1:" + down.port() + ") refused (is sshd running there?)");
        assertThat(failed.out())
                .as("a refused connection may pass on its own: it is tried again first")
                .contains("WARNING: web-2: lock failed (Connection to web-2 (127.0.0.1:" + down.port() + ") refused")
                .contains("retry 1 of 1");
        for (SshServer host : hosts.all()) {
            assertThat(live(host)).as(host.name()).isEqualTo("releases/r1");
            assertThat(host.root().resolve("releases/r2")).doesNotExist();
            assertThat(host.root().resolve(".deploy/lock")).doesNotExist();
        }

        down.restart();
        CliRun retried = deploy("r2");

        assertThat(retried.status()).as(retried.toString()).isEqualTo(ExitCode.OK);
        for (SshServer host : hosts.all()) {
            assertThat(live(host)).as(host.name()).isEqualTo("releases/r2");
        }
    }

    @Test
    public void passphraseAndPrivateKeyAppearNowhereInOutputHistoryOrOnTheHosts() throws Exception {
        String passphrase = "s3cret-" + UUID.randomUUID();
        Path key = protectedKey(passphrase);
        // What a host could print by accident: the passphrase and the key, read from a file there.
        Path leak =
                Files.writeString(dir.resolve("leak.txt"), "passphrase: " + passphrase + "\n" + Files.readString(key));
        writeConfig("identityFile: " + key + "\npassphraseEnv: " + PASSPHRASE_VARIABLE, """
                variables:
                  LEAK: %s
                hooks:
                  - name: leaky
                    phase: beforeSwitch
                    runOn: deploy
                    command: |
                      if [ "$DEPLOY_RELEASE" = r2 ]; then
                        cp "$DEPLOY_ROOT/.deploy/lock" "$DEPLOY_ROOT/../lock-while-hook-ran"
                        cat "$LEAK"
                        exit 1
                      fi
                """.formatted(leak));
        Map<String, String> secrets = Map.of(PASSPHRASE_VARIABLE, passphrase);

        CliRun deployed = cli(secrets, deployArgs("r1"));
        CliRun failed = cli(secrets, deployArgs("r2"));
        CliRun history = cli(secrets, "history", ENVIRONMENT, "--json");
        CliRun status = cli(secrets, "status", ENVIRONMENT, "--json");

        assertThat(deployed.status()).as(deployed.toString()).isEqualTo(ExitCode.OK);
        assertThat(failed.status()).as(failed.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(failed.out())
                .contains("FAILED: deploy of r2 to production failed; r1 is live.")
                .contains("leaky@web-1 | passphrase: ****");
        assertThat(records(history)).containsExactly("deploy r1 SUCCEEDED", "deploy r2 FAILED");
        assertThat(history.out()).contains("passphrase: ****");
        assertThat(status.status()).as(status.toString()).isEqualTo(ExitCode.OK);
        for (SshServer host : hosts.all()) {
            assertThat(live(host)).as(host.name()).isEqualTo("releases/r1");
        }
        // The first failing hook stops the deploy: it ran on web-1 only.
        assertThat(hosts.get(0).root().resolveSibling("lock-while-hook-ran"))
                .as("the hook saw the lock naming it")
                .content()
                .contains("tester");
        for (SshServer host : hosts.all()) {
            assertThat(host.root().resolve(".deploy/ledger"))
                    .as("searched below")
                    .isNotEmptyFile();
        }
        assertThat(filesUnder(dir.resolve("state/history")))
                .as("searched below")
                .isNotEmpty();
        List<String> secretTexts = new ArrayList<>(keyBody(key));
        secretTexts.add(passphrase);
        assertAppearsNowhere(secretTexts);
    }

    @Test
    public void keyAndPassphraseVariablesReachNoLocalHookOrCommandCheckAndTheirValuesAreMaskedEverywhere()
            throws Exception {
        String passphrase = "s3cret-" + UUID.randomUUID();
        Path key = protectedKey(passphrase);
        // What a local command could print by accident: the passphrase and the key, read from a file.
        Path leak =
                Files.writeString(dir.resolve("leak.txt"), "passphrase: " + passphrase + "\n" + Files.readString(key));
        // What a careless smoke test or hook prints: the variables holding the secrets, and that file.
        String careless = """
                echo "key variable: ${DEPLOY_SSH_KEY:-unset}"
                echo "passphrase variable: ${DEPLOY_SSH_PASSPHRASE:-unset}"
                env | grep -c '^DEPLOY_SSH_' || true
                cat "%s"
                [ "$DEPLOY_RELEASE" != r2 ]
                """.formatted(leak);
        writeConfig("identityEnv: DEPLOY_SSH_KEY\npassphraseEnv: " + PASSPHRASE_VARIABLE, """
                gates:
                  - name: smoke
                    count: 1
                    checks:
                      - command:
                          name: careless-smoke
                          on: engine
                          run: |
                %s""".formatted(
                        careless.indent(16)));
        // A second environment on this machine: its hooks run here, where the variables are set.
        Files.writeString(config, """
                  staging:
                    targets: [ { name: local-1, path: staging-target } ]
                    hooks:
                      - name: careless-hook
                        phase: beforeSwitch
                        runOn: deploy
                        command: |
                %s""".formatted(careless.indent(10)), StandardOpenOption.APPEND);
        Map<String, String> secrets = Map.of("DEPLOY_SSH_KEY", Files.readString(key), PASSPHRASE_VARIABLE, passphrase);

        CliRun deployed = cli(secrets, deployArgs("r1"));
        CliRun gateFailed = cli(secrets, deployArgs("r2"));
        CliRun stagingDeployed = cli(
                secrets,
                "deploy",
                "staging",
                "--release",
                "r1",
                "--artifact",
                release("r1").toString());
        CliRun hookFailed = cli(
                secrets,
                "deploy",
                "staging",
                "--release",
                "r2",
                "--artifact",
                release("r2").toString());
        CliRun productionHistory = cli(secrets, "history", ENVIRONMENT, "--json");
        CliRun stagingHistory = cli(secrets, "history", "staging", "--json");

        assertThat(deployed.status()).as(deployed.toString()).isEqualTo(ExitCode.OK);
        assertThat(gateFailed.status()).as(gateFailed.toString()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(stagingDeployed.status()).as(stagingDeployed.toString()).isEqualTo(ExitCode.OK);
        assertThat(hookFailed.status()).as(hookFailed.toString()).isEqualTo(ExitCode.FAILED);
        for (CliRun run : List.of(deployed, gateFailed, stagingDeployed, hookFailed)) {
            assertThat(run.out())
                    .as(run.toString())
                    .contains("key variable: unset")
                    .contains("passphrase variable: unset")
                    .contains("| 0\n")
                    .contains("| passphrase: ****");
        }
        assertThat(stagingHistory.out()).contains("passphrase: ****");
        assertThat(productionHistory.out()).contains("careless-smoke");
        List<String> secretTexts = new ArrayList<>(keyBody(key));
        secretTexts.add(passphrase);
        assertAppearsNowhere(secretTexts, dir.resolve("staging-target"));
    }

    @Test
    public void wrongPassphraseIsAClearErrorThatNeverRepeatsIt() throws Exception {
        String passphrase = "s3cret-" + UUID.randomUUID();
        String wrong = "not-it-" + UUID.randomUUID();
        Path key = protectedKey(passphrase);
        writeConfig("identityFile: " + key + "\npassphraseEnv: " + PASSPHRASE_VARIABLE, "");

        CliRun refused = cli(Map.of(PASSPHRASE_VARIABLE, wrong), deployArgs("r1"));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(refused.err()).contains("The SSH key from key file " + key).contains("the passphrase is wrong");
        for (SshServer host : hosts.all()) {
            assertThat(live(host)).as(host.name()).isNull();
            assertThat(host.root().resolve("releases/r1")).doesNotExist();
        }
        List<String> secretTexts = new ArrayList<>(keyBody(key));
        secretTexts.add(passphrase);
        secretTexts.add(wrong);
        assertAppearsNowhere(secretTexts);
    }

    @Test
    public void changedHostKeyIsRefusedNamingHostAndFingerprintAndNoHostChanges() throws Exception {
        assertThat(deploy("r1").status()).isEqualTo(ExitCode.OK);
        SshServer impostor = hosts.get(1);
        writeKnownHosts(List.of(
                hosts.get(0).knownHostsLine(),
                impostor.otherKnownHostsLine(),
                hosts.get(2).knownHostsLine()));
        List<List<String>> before = new ArrayList<>();
        for (SshServer host : hosts.all()) {
            before.add(FileTreeSnapshot.of(host.root()));
        }

        CliRun refused = deploy("r2");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(refused.err())
                .contains("The host key of web-2 (127.0.0.1:" + impostor.port() + ") has CHANGED")
                .contains(impostor.hostKeyFingerprint());
        assertThat(refused.output()).as("a refused host key is never retried").doesNotContain("retry");
        for (int i = 0; i < hosts.all().size(); i++) {
            assertThat(FileTreeSnapshot.of(hosts.get(i).root()))
                    .as("nothing changed on %s", hosts.get(i).name())
                    .isEqualTo(before.get(i));
        }
    }

    // ---- the command line ----------------------------------------------------------------------

    private CliRun deploy(String release) throws Exception {
        return cli(Map.of(), deployArgs(release));
    }

    private String[] deployArgs(String release) throws IOException {
        return new String[] {
            "deploy",
            ENVIRONMENT,
            "--release",
            release,
            "--artifact",
            release(release).toString()
        };
    }

    private CliRun cli(String... args) throws Exception {
        return cli(Map.of(), args);
    }

    /** Runs the jar with {@code environment} added to its environment variables, and waits for it. */
    private CliRun cli(Map<String, String> environment, String... args) throws Exception {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--config", config.toString(), "--by", "tester"));
        long start = System.nanoTime();
        CliProcess process = CliProcess.start(dir.resolve("logs"), environment, all);
        int status = process.waitFor(COMMAND_LIMIT);
        CliRun run = new CliRun(
                String.join(" ", args),
                status,
                process.stdout(),
                process.stderr(),
                Duration.ofNanos(System.nanoTime() - start));
        runs.add(run);
        return run;
    }

    /** What one command printed, and how long it took from start to exit. */
    private record CliRun(String command, int status, String out, String err, Duration took) {
        String output() {
            return out + err;
        }

        @Override
        public String toString() {
            return command + ": exit " + status + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** {@code operation release outcome} of each record {@code history --json} printed. */
    private static List<String> records(CliRun history) throws IOException {
        Map<?, ?> json = Json.mapper().readValue(history.out(), Map.class);
        List<?> records = (List<?>) json.get("records");
        return records.stream()
                .map(r -> (Map<?, ?>) r)
                .map(r -> r.get("operation") + " " + r.get("release") + " " + r.get("outcome"))
                .toList();
    }

    // ---- the configuration, the releases, the hosts ---------------------------------------------

    /**
     * An environment of the three hosts; each has its own deploy root, so {@code path} is given per
     * target. {@code identity} holds the ssh: block's key settings, {@code extra} more environment
     * settings.
     */
    private void writeConfig(String identity, String extra) throws IOException {
        StringBuilder targets = new StringBuilder();
        for (SshServer host : hosts.all()) {
            targets.append("""
                    - host: %s
                      port: %d
                      name: %s
                      path: %s
                    """.formatted(host.host(), host.port(), host.name(), host.root()));
        }
        Files.writeString(config, """
                state: state
                environments:
                  production:
                    concurrency: 3
                    ssh:
                      user: %s
                %s
                      knownHosts: known_hosts
                      hostKeyPolicy: strict
                      connectTimeout: 5s
                      retries: {attempts: 2, delay: 50ms, maxDelay: 50ms}
                    targets:
                %s%s""".formatted(
                        hosts.get(0).user(),
                        identity.indent(6).stripTrailing(),
                        targets.toString().indent(6),
                        extra.indent(4)));
    }

    private void writeKnownHosts(List<String> lines) throws IOException {
        Files.writeString(knownHosts, String.join("\n", lines) + "\n");
    }

    /** A release folder {@code artifacts/<id>} with one page. */
    private Path release(String id) throws IOException {
        Path folder = dir.resolve("artifacts").resolve(id);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("index.html"), "release " + id + "\n");
        return folder;
    }

    private static String live(SshServer host) throws IOException {
        Path current = host.root().resolve("current");
        return Files.isSymbolicLink(current) ? Files.readSymbolicLink(current).toString() : null;
    }

    /** A new ed25519 key protected by {@code passphrase}, authorized on every host. */
    private Path protectedKey(String passphrase) throws Exception {
        Path key = dir.resolve("protected_key");
        ExecResult keygen = ExecResult.run(
                List.of(
                        "ssh-keygen",
                        "-q",
                        "-t",
                        "ed25519",
                        // 2 key derivation rounds, not 16: every login decrypts the key, and 16 rounds cost
                        // each of them a noticeable part of a second, for nothing this test checks.
                        "-a",
                        "2",
                        "-N",
                        passphrase,
                        "-C",
                        "key with a passphrase",
                        "-f",
                        key.toString()),
                COMMAND_LIMIT);
        assertThat(keygen.succeeded()).as(keygen.toString()).isTrue();
        authorize(Files.readString(key.resolveSibling("protected_key.pub")), hosts.all());
        return key;
    }

    /** Lets {@code publicKey} log in to {@code servers}: sshd reads authorized_keys at every login. */
    private static void authorize(String publicKey, List<SshServer> servers) throws IOException {
        for (SshServer host : servers) {
            Files.writeString(
                    host.userKeyFile().resolveSibling("authorized_keys"), publicKey, StandardOpenOption.APPEND);
        }
    }

    /**
     * The base64 lines of a private key file: all but its armour, and but a short last line (a few
     * characters that could occur anywhere by chance; the engine does not mask those either).
     */
    private static List<String> keyBody(Path key) throws IOException {
        return Files.readAllLines(key).stream()
                .map(String::trim)
                .filter(line -> line.length() >= 16 && !line.startsWith("-----"))
                .toList();
    }

    /**
     * None of {@code secrets} in what any command printed, in any file of the state folder (history,
     * kept artifacts) or in any file under a host's .deploy/ (ledger, manifests, failed releases), nor
     * in the lock a hook copied while it ran.
     */
    private void assertAppearsNowhere(List<String> secrets, Path... moreFolders) throws IOException {
        for (CliRun run : runs) {
            for (String secret : secrets) {
                assertThat(run.output()).as("output of %s", run.command()).doesNotContain(secret);
            }
        }
        List<Path> files = new ArrayList<>(filesUnder(dir.resolve("state")));
        for (Path folder : moreFolders) {
            files.addAll(filesUnder(folder));
        }
        for (SshServer host : hosts.all()) {
            files.addAll(filesUnder(host.root().resolve(".deploy")));
            Path lock = host.root().resolveSibling("lock-while-hook-ran");
            if (Files.exists(lock)) {
                files.add(lock);
            }
        }
        for (Path file : files) {
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                assertThat(content).as("%s", file).doesNotContain(secret);
            }
        }
    }

    private static List<Path> filesUnder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }
}
