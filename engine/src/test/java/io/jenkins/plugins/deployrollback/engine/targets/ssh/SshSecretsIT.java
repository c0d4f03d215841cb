package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.flow.DeployRequest;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentEngine;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentResult;
import io.jenkins.plugins.deployrollback.engine.history.FileHistoryStore;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;
import io.jenkins.plugins.deployrollback.engine.release.FileArtifactStore;
import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.testing.RecordingProgress;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseFolders;
import io.jenkins.plugins.deployrollback.engine.testing.SshServer;
import io.jenkins.plugins.deployrollback.engine.testing.SshServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The key and passphrase of an SSH target never leave the engine: not in output, records, files or errors. */
public class SshSecretsIT {
    private static final String PASSPHRASE = "correct horse battery staple 7#";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Rule
    public SshServers hosts = new SshServers(1);

    private final RecordingProgress progress = new RecordingProgress();
    private final List<String> seen = new ArrayList<>();
    private Path state;
    private Path keyFile;
    private SshServer host;

    @Before
    public void setUp() throws Exception {
        host = hosts.get(0);
        state = temp.newFolder("state").toPath();
        keyFile = temp.getRoot().toPath().resolve("deploy_key");
        Process keygen = new ProcessBuilder(
                        "ssh-keygen", "-q", "-t", "ed25519", "-N", PASSPHRASE, "-f", keyFile.toString())
                .inheritIO()
                .start();
        assertThat(keygen.waitFor()).isZero();
        Files.writeString(
                host.userKeyFile().resolveSibling("authorized_keys"),
                Files.readString(keyFile.resolveSibling("deploy_key.pub")),
                StandardOpenOption.APPEND);
    }

    private SshTarget target(String passphrase) throws IOException {
        SshTarget plain = host.target("web-1");
        return new SshTarget(
                "web-1",
                plain.host(),
                plain.port(),
                plain.root(),
                SshCredentials.ofKeyText(
                        host.user(), Files.readString(keyFile), passphrase.toCharArray(), "credentials deploy-key"),
                plain.hostKeys(),
                plain.settings());
    }

    private DeploymentEngine engine() {
        return new DeploymentEngine(
                new FileHistoryStore(state.resolve("history")),
                new FileArtifactStore(state.resolve("artifacts")),
                progress,
                Clock.systemUTC());
    }

    private List<String> keyLines() throws IOException {
        return Files.readAllLines(keyFile).stream()
                .filter(l -> !l.startsWith("-----") && l.length() >= 16)
                .toList();
    }

    private void assertNoSecretIn(String where, String text) throws IOException {
        assertThat(text).as(where).doesNotContain(PASSPHRASE);
        for (String line : keyLines()) {
            assertThat(text).as(where).doesNotContain(line);
        }
    }

    private void assertNoSecretInFilesUnder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertNoSecretIn(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    public void passphraseAndKeyAppearNowhereEvenWhenAHookPrintsThem() throws Exception {
        ReleaseFolders releases = new ReleaseFolders(temp.newFolder("releases").toPath());
        // A hook that prints the passphrase (handed to it by the environment, as a careless script might).
        Hook careless = new Hook(
                "careless",
                HookPhase.AFTER_SWITCH,
                RunOn.DEPLOY,
                "echo \"unlocking with $KEY_PASSPHRASE\"; exit 1",
                Duration.ofSeconds(30));
        Environment environment = new Environment(
                EnvironmentName.of("production"),
                List.of(target(PASSPHRASE)),
                List.of(),
                List.of(),
                List.of(),
                null,
                null,
                true,
                Map.of("KEY_PASSPHRASE", PASSPHRASE),
                1);
        DeploymentEngine engine = engine();
        ReleaseFolders.Prepared r1 = releases.healthy("r1");
        assertThat(engine.deploy(environment, new DeployRequest(r1.release(), r1.source(), "tester", null))
                        .outcome())
                .isEqualTo(Outcome.SUCCEEDED);
        Environment withHook = new Environment(
                environment.name(),
                environment.targets(),
                List.of(careless),
                List.of(),
                List.of(),
                null,
                null,
                true,
                environment.variables(),
                1);
        ReleaseFolders.Prepared r2 = releases.healthy("r2");

        DeploymentResult failed = engine.deploy(withHook, new DeployRequest(r2.release(), r2.source(), "tester", null));

        assertThat(failed.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(progress.lines()).anyMatch(l -> l.contains("unlocking with ****"));
        assertNoSecretIn("progress", String.join("\n", progress.lines()));
        assertNoSecretIn("result", failed.toString() + Json.mapper().writeValueAsString(failed.record()));
        assertNoSecretIn("target", environment.targets().get(0).toString());
        assertNoSecretInFilesUnder(state);
        assertNoSecretInFilesUnder(host.root().resolve(".deploy"));
    }

    @Test
    public void wrongPassphraseIsAClearErrorThatRepeatsNeitherPassphraseNorKey() throws Exception {
        ReleaseFolders releases = new ReleaseFolders(temp.newFolder("releases").toPath());
        Environment environment = new Environment(
                EnvironmentName.of("production"),
                List.of(target("not the passphrase")),
                List.of(),
                List.of(),
                List.of(),
                null,
                null,
                true,
                Map.of(),
                1);
        ReleaseFolders.Prepared r1 = releases.healthy("r1");

        assertThatThrownBy(() ->
                        engine().deploy(environment, new DeployRequest(r1.release(), r1.source(), "tester", null)))
                .isInstanceOf(SshFailure.class)
                .hasMessageContaining("credentials deploy-key")
                .satisfies(e -> {
                    assertNoSecretIn("error", e.toString());
                    assertThat(e.getMessage()).doesNotContain("not the passphrase");
                });
        assertNoSecretIn("progress", String.join("\n", progress.lines()));
        assertThat(host.root().resolve("releases")).doesNotExist();
    }
}
