package io.jenkins.plugins.deployrollback.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Keys and passphrases reach the engine's credentials and nothing else: no message, no string form. */
public class SshSecretsTest {
    private static final String PASSPHRASE = "correct horse battery staple";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path dir;
    private String protectedKey;
    private String plainKey;
    private Map<String, String> environment;

    @Before
    public void setUp() throws Exception {
        dir = temp.getRoot().toPath();
        Files.writeString(dir.resolve("known_hosts"), "");
        protectedKey = Files.readString(TestKeys.generate(dir.resolve("keys/protected"), PASSPHRASE));
        plainKey = Files.readString(TestKeys.generate(dir.resolve("keys/plain"), ""));
        environment = Map.of(
                "HOME", dir.toString(),
                "DEPLOY_SSH_KEY", protectedKey,
                "DEPLOY_SSH_PASSPHRASE", PASSPHRASE);
    }

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("deploy-rollback.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    public void builtTargetsNameWhereTheirKeysComeFromNeverTheKeysOrThePassphrase() throws Exception {
        Path file = write("""
                environments:
                  production:
                    ssh:
                      user: deploy
                      identityEnv: DEPLOY_SSH_KEY
                      passphraseEnv: DEPLOY_SSH_PASSPHRASE
                      knownHosts: known_hosts
                      path: /srv/shop
                    targets:
                      - host: web-1.example.com
                      - host: web-2.example.com
                        identityFile: keys/protected
                        passphraseEnv: DEPLOY_SSH_PASSPHRASE
                """);

        Environment production = ConfigLoader.load(file, environment).environment("production");

        List<String> shown = new ArrayList<>(List.of(production.toString()));
        for (Target target : production.targets()) {
            SshTarget ssh = (SshTarget) target;
            shown.addAll(List.of(
                    ssh.toString(),
                    ssh.address(),
                    ssh.credentials().toString(),
                    ssh.credentials().source(),
                    ssh.hostKeys().toString(),
                    ssh.settings().toString()));
        }
        assertThat(shown).allSatisfy(this::holdsNoSecret);
        assertThat(shown)
                .contains(
                        "deploy with the environment variable DEPLOY_SSH_KEY (passphrase set)",
                        "deploy with the key file " + dir.resolve("keys/protected") + " (passphrase set)");
    }

    @Test
    public void noConfigurationErrorRepeatsAKeyOrAPassphraseWhereverItWasWritten() throws Exception {
        Path file = write("""
                environments:
                  production:
                    ssh:
                      user: deploy
                      passphrase: "%1$s"
                      knownHosts: known_hosts
                      path: /srv/shop
                    targets:
                      - host: web-1.example.com
                        identityFile: "%2$s"
                      - host: web-2.example.com
                        identityEnv: "%2$s"
                        passphraseEnv: "%1$s"
                      - host: web-3.example.com
                        identityEnv: DEPLOY_SSH_PASSPHRASE
                      - host: web-4.example.com
                        identityEnv: DEPLOY_SSH_KEY
                      - host: web-5.example.com
                        identityFile: keys/plain
                        privateKey: "%3$s"
                        password: "%1$s"
                        retries: "%3$s"
                      - "%2$s"
                  staging:
                    targets: [ { path: /srv/staging } ]
                    ssh: "%3$s"
                """.formatted(PASSPHRASE, escaped(protectedKey), escaped(plainKey)));

        ConfigException error = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, environment));

        assertThat(error.problems())
                .as("one problem per secret written, per misused variable, and the encrypted key without passphrase")
                .hasSize(11)
                .allSatisfy(this::holdsNoSecret);
        assertThat(error.problems())
                .anySatisfy(p -> assertThat(p)
                        .contains("targets[2].identityEnv: The SSH key from environment variable"
                                + " DEPLOY_SSH_PASSPHRASE is not a private key"))
                .anySatisfy(p -> assertThat(p)
                        .contains("targets[3].identityEnv: the key from environment variable DEPLOY_SSH_KEY is"
                                + " protected by a passphrase"));
    }

    private void holdsNoSecret(String shown) {
        assertThat(shown).doesNotContain(PASSPHRASE);
        assertThat(shown).doesNotContain(TestKeys.bodyLines(protectedKey));
        assertThat(shown).doesNotContain(TestKeys.bodyLines(plainKey));
    }

    private static String escaped(String key) {
        return key.replace("\n", "\\n");
    }
}
