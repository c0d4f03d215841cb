package io.jenkins.plugins.deployrollback.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.targets.RetryPolicy;
import io.jenkins.plugins.deployrollback.engine.targets.local.LocalTarget;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.HostKeyVerification;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshSettings;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ListAssert;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SshConfigTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path dir;
    private Path home;
    private Path knownHosts;
    private Path deployKey;
    private final Map<String, String> environment = new HashMap<>();

    @Before
    public void setUp() throws Exception {
        dir = temp.getRoot().toPath();
        home = dir.resolve("home");
        knownHosts = home.resolve(".ssh/known_hosts");
        Files.createDirectories(knownHosts.getParent());
        Files.writeString(knownHosts, "web-1.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKey\n");
        deployKey = TestKeys.generate(home.resolve(".ssh/deploy_ed25519"), "");
        environment.put("HOME", home.toString());
    }

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("deploy-rollback.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private Environment production(String yaml) throws Exception {
        return ConfigLoader.load(write(yaml), environment).environment("production");
    }

    private ListAssert<String> problems(String yaml) throws Exception {
        Path file = write(yaml);
        try {
            ConfigLoader.load(file, environment);
        } catch (ConfigException e) {
            return assertThat(e.problems());
        }
        throw new AssertionError("the configuration loaded without a problem");
    }

    @Test
    public void sshTargetsInheritTheSshBlockAndOverrideAnySettingOfIt() throws Exception {
        TestKeys.generate(home.resolve(".ssh/protected_ed25519"), "pass phrase 42");
        environment.put("DEPLOY_SSH_PASSPHRASE", "pass phrase 42");
        environment.put("OPS_SSH_KEY", Files.readString(TestKeys.generate(dir.resolve("ops_ed25519"), "")));

        Environment production = production("""
                environments:
                  production:
                    concurrency: 10
                    ssh:
                      user: deploy
                      identityFile: ~/.ssh/protected_ed25519
                      passphraseEnv: DEPLOY_SSH_PASSPHRASE
                      connectTimeout: 5s
                      commandTimeout: 10m
                      keepAlive: 30s
                      retries: {attempts: 5, delay: 2s, maxDelay: 20s}
                      path: /srv/shop
                    targets:
                      - host: web-1.example.com
                      - host: web-2.example.com
                        port: 2222
                        name: web-2
                      - host: 10.0.0.7
                        user: ops
                        path: /opt/shop
                        identityEnv: OPS_SSH_KEY
                        knownHosts: keys/known_hosts
                        hostKeyPolicy: accept-new
                        retries: {attempts: 1}
                        connectTimeout: 1s
                      - path: local-copy
                """);

        assertThat(production.concurrency()).isEqualTo(10);
        assertThat(production.targets()).hasSize(4);
        SshTarget web1 = (SshTarget) production.targets().get(0);
        assertThat(web1.name()).isEqualTo("web-1.example.com");
        assertThat(web1.address()).isEqualTo("deploy@web-1.example.com:22:/srv/shop");
        assertThat(web1.credentials().source()).isEqualTo("key file " + home.resolve(".ssh/protected_ed25519"));
        assertThat(web1.credentials().toString()).endsWith("(passphrase set)");
        assertThat(web1.hostKeys()).isEqualTo(HostKeyVerification.knownHostsFile(knownHosts));
        assertThat(web1.settings())
                .isEqualTo(new SshSettings(
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(10),
                        Duration.ofSeconds(30),
                        new RetryPolicy(5, Duration.ofSeconds(2), Duration.ofSeconds(20))));
        SshTarget web2 = (SshTarget) production.targets().get(1);
        assertThat(web2.name()).isEqualTo("web-2");
        assertThat(web2.address()).isEqualTo("deploy@web-2.example.com:2222:/srv/shop");
        assertThat(web2.settings()).isEqualTo(web1.settings());
        SshTarget ops = (SshTarget) production.targets().get(2);
        assertThat(ops.name()).isEqualTo("10.0.0.7");
        assertThat(ops.address()).isEqualTo("ops@10.0.0.7:22:/opt/shop");
        assertThat(ops.credentials().toString())
                .as("the block's passphrase belongs to the block's key, not to the target's own")
                .isEqualTo("ops with the environment variable OPS_SSH_KEY");
        assertThat(ops.hostKeys()).isEqualTo(HostKeyVerification.acceptNew(dir.resolve("keys/known_hosts")));
        assertThat(ops.settings())
                .as("a target's retries replace the block's; what they leave out is the default")
                .isEqualTo(new SshSettings(
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(10),
                        Duration.ofSeconds(30),
                        new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(10))));
        assertThat(((LocalTarget) production.targets().get(3)).root()).isEqualTo(dir.resolve("local-copy"));
    }

    @Test
    public void theMultiHostExampleOfTheDocumentationLoads() throws Exception {
        String docs = Files.readString(Path.of("../docs/configuration.md"));
        String section = docs.substring(docs.indexOf("## SSH targets"));
        String example = section.substring(section.indexOf("```yaml\n") + 8, section.indexOf("```\n", 10));
        Files.delete(deployKey);
        TestKeys.generate(deployKey, "pass phrase 42");
        environment.put("DEPLOY_SSH_PASSPHRASE", "pass phrase 42");
        environment.put("BATCH_SSH_KEY", Files.readString(TestKeys.generate(dir.resolve("batch"), "")));

        Environment production = production(example);

        assertThat(production.concurrency()).isEqualTo(10);
        assertThat(production.targets())
                .extracting(Object::toString)
                .containsExactly(
                        "web-1.example.com (deploy@web-1.example.com:22:/srv/shop)",
                        "web-2.example.com (deploy@web-2.example.com:22:/srv/shop)",
                        "web-3.example.com:2222 (deploy@web-3.example.com:2222:/srv/shop)",
                        "batch (batch@10.0.4.17:22:/opt/shop)",
                        "local:/srv/local-copy");
    }

    @Test
    public void sshTargetWithOnlyTheRequiredSettingsTakesTheDefaults() throws Exception {
        Environment production = production("""
                environments:
                  production:
                    targets:
                      - host: web-1.example.com
                        user: deploy
                        identityFile: ~/.ssh/deploy_ed25519
                        path: /srv/shop
                """);

        SshTarget web1 = (SshTarget) production.targets().get(0);
        assertThat(production.concurrency()).isEqualTo(Environment.DEFAULT_CONCURRENCY);
        assertThat(web1.port()).isEqualTo(22);
        assertThat(web1.name()).isEqualTo("web-1.example.com");
        assertThat(web1.credentials().source()).isEqualTo("key file " + deployKey);
        assertThat(web1.hostKeys())
                .as("strict, against ~/.ssh/known_hosts")
                .isEqualTo(HostKeyVerification.knownHostsFile(knownHosts));
        assertThat(web1.settings()).isEqualTo(SshSettings.DEFAULT);
    }

    @Test
    public void missingUserKeyAndPathSayWhereToGiveThem() throws Exception {
        problems("""
                        environments:
                          production:
                            ssh:
                              port: 2222
                            targets:
                              - host: web-1.example.com
                        """)
                .containsExactlyInAnyOrder(
                        "deploy-rollback.yaml:6: environments.production.targets[0].path: is missing: give the deploy"
                                + " path on the host, such as path: /srv/app, for this target or for every SSH target in"
                                + " environments.production.ssh",
                        "deploy-rollback.yaml:6: environments.production.targets[0].user: is missing: give the user to"
                                + " log in as, such as user: deploy, for this target or for every SSH target in"
                                + " environments.production.ssh",
                        "deploy-rollback.yaml:6: environments.production.targets[0].identityFile: is missing: give the"
                                + " private key file (identityFile: ~/.ssh/deploy_ed25519) or the environment variable"
                                + " holding the key (identityEnv: DEPLOY_SSH_KEY), for this target or for every SSH"
                                + " target in environments.production.ssh");
    }

    @Test
    public void strictCheckingWithoutTheKnownHostsFileSaysHowToAddTheHost() throws Exception {
        Files.delete(knownHosts);
        Path elsewhere = dir.resolve("known_hosts");

        problems("""
                        environments:
                          production:
                            ssh: {user: deploy, identityFile: ~/.ssh/deploy_ed25519, path: /srv/shop}
                            targets:
                              - host: web-1.example.com
                              - host: web-2.example.com
                                port: 2222
                                knownHosts: known_hosts
                        """)
                .containsExactlyInAnyOrder(
                        "deploy-rollback.yaml:5: environments.production.targets[0].knownHosts: ~/.ssh/known_hosts (the"
                                + " default, " + knownHosts + ") does not exist, and strict host key checking trusts"
                                + " only the host keys listed there: after checking web-1.example.com's key fingerprint"
                                + " (ssh-keyscan -p 22 web-1.example.com | ssh-keygen -lf - shows it; compare with"
                                + " ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub run on the host), add it with"
                                + " ssh-keyscan -p 22 web-1.example.com >> " + knownHosts + "; or set hostKeyPolicy:"
                                + " accept-new to record each host's key on first connection",
                        "deploy-rollback.yaml:8: environments.production.targets[1].knownHosts: known_hosts ("
                                + elsewhere + ") does not exist, and strict host key checking trusts only the host keys"
                                + " listed there: after checking web-2.example.com's key fingerprint (ssh-keyscan -p 2222"
                                + " web-2.example.com | ssh-keygen -lf - shows it; compare with ssh-keygen -lf"
                                + " /etc/ssh/ssh_host_ed25519_key.pub run on the host), add it with ssh-keyscan -p 2222"
                                + " web-2.example.com >> " + elsewhere + "; or set hostKeyPolicy: accept-new to record"
                                + " each host's key on first connection");
    }

    @Test
    public void acceptNewNeedsNoKnownHostsFileYetButAWritableOneIfThere() throws Exception {
        Files.delete(knownHosts);

        Environment production = production("""
                environments:
                  production:
                    ssh: {user: deploy, identityFile: ~/.ssh/deploy_ed25519, path: /srv/shop, hostKeyPolicy: accept-new}
                    targets: [ { host: web-1.example.com } ]
                """);

        assertThat(((SshTarget) production.targets().get(0)).hostKeys())
                .isEqualTo(HostKeyVerification.acceptNew(knownHosts));
    }

    @Test
    public void thereIsNoHostKeyPolicyThatSkipsVerification() throws Exception {
        problems("""
                        environments:
                          production:
                            ssh:
                              user: deploy
                              identityFile: ~/.ssh/deploy_ed25519
                              path: /srv/shop
                              hostKeyPolicy: "off"
                            targets: [ { host: web-1.example.com } ]
                        """)
                .containsExactly("deploy-rollback.yaml:7: environments.production.ssh.hostKeyPolicy: \"off\" is not"
                        + " allowed: use strict (the default: only host keys listed in knownHosts are trusted) or"
                        + " accept-new (a host seen for the first time is trusted and its key recorded in knownHosts;"
                        + " a changed key is refused). There is deliberately no setting that skips host key checking:"
                        + " it would let whoever sits between here and the host receive the release and run its"
                        + " hooks");
    }

    @Test
    public void environmentVariablesThatAreNotSetAreNamed() throws Exception {
        environment.put("EMPTY_PASSPHRASE", "");

        problems("""
                        environments:
                          production:
                            ssh: {user: deploy, path: /srv/shop}
                            targets:
                              - host: web-1.example.com
                                identityEnv: DEPLOY_SSH_KEY
                              - host: web-2.example.com
                                identityFile: ~/.ssh/deploy_ed25519
                                passphraseEnv: EMPTY_PASSPHRASE
                        """)
                .containsExactlyInAnyOrder(
                        "deploy-rollback.yaml:6: environments.production.targets[0].identityEnv: environment variable"
                                + " DEPLOY_SSH_KEY is not set: set it to the text of the private key (-----BEGIN …"
                                + " PRIVATE KEY----- …) before running deploy-rollback, or give a key file with"
                                + " identityFile",
                        "deploy-rollback.yaml:9: environments.production.targets[1].passphraseEnv: environment"
                                + " variable EMPTY_PASSPHRASE is empty: set it to the passphrase of the SSH key before"
                                + " running deploy-rollback, or leave out passphraseEnv when the key has none");
    }

    @Test
    public void keyProtectedByAPassphraseNeedsPassphraseEnv() throws Exception {
        Path key = TestKeys.generate(dir.resolve("protected"), "pass phrase 42");

        problems("""
                        environments:
                          production:
                            targets:
                              - {host: web-1.example.com, user: deploy, path: /srv/shop, identityFile: protected}
                        """)
                .containsExactly("deploy-rollback.yaml:4: environments.production.targets[0].identityFile: the key"
                        + " from key file " + key + " is protected by a passphrase: name the environment variable"
                        + " holding it with passphraseEnv");
    }

    @Test
    public void keyFilesThatAreMissingPublicOrNoKeyAreRefused() throws Exception {
        Path notAKey = Files.writeString(dir.resolve("notes.txt"), "not a key\n");

        problems("""
                        environments:
                          production:
                            ssh: {user: deploy, path: /srv/shop}
                            targets:
                              - host: web-1.example.com
                                identityFile: ~/.ssh/missing
                              - host: web-2.example.com
                                identityFile: ~/.ssh/deploy_ed25519.pub
                              - host: web-3.example.com
                                identityFile: notes.txt
                              - host: web-4.example.com
                                identityFile: ~/.ssh/deploy_ed25519
                                identityEnv: DEPLOY_SSH_KEY
                        """)
                .containsExactlyInAnyOrder(
                        "deploy-rollback.yaml:6: environments.production.targets[0].identityFile: ~/.ssh/missing ("
                                + home.resolve(".ssh/missing") + ") does not exist: give a private key file, such as"
                                + " ~/.ssh/id_ed25519 (ssh-keygen -t ed25519 -f FILE makes one; FILE.pub then goes"
                                + " into ~/.ssh/authorized_keys on the hosts)",
                        "deploy-rollback.yaml:8: environments.production.targets[1].identityFile:"
                                + " \"~/.ssh/deploy_ed25519.pub\" is a public key: give the private key, the same path"
                                + " without .pub",
                        "deploy-rollback.yaml:10: environments.production.targets[2].identityFile: The SSH key from key"
                                + " file " + notAKey + " is not a private key: expected a PEM or OpenSSH private key"
                                + " (-----BEGIN … PRIVATE KEY-----) or a PuTTY key file",
                        "deploy-rollback.yaml:13: environments.production.targets[3].identityEnv: give either"
                                + " identityFile (a key file) or identityEnv (an environment variable holding the key),"
                                + " not both");
    }

    @Test
    public void invalidHostsPortsAndPathsPointAtTheirKeys() throws Exception {
        problems("""
                        environments:
                          production:
                            ssh: {user: deploy, identityFile: ~/.ssh/deploy_ed25519, path: /srv/shop}
                            targets:
                              - host: deploy@web-1.example.com
                              - host: web-2.example.com:2222
                              - host: ssh://web-3.example.com
                              - host: web_4!
                              - host: web-5.example.com
                                port: 70000
                              - host: web-6.example.com
                                path: srv/shop
                              - host: web-7.example.com
                                path: ~/shop
                              - host: web-8.example.com
                                path: /srv/../etc
                              - name: web-9
                        """)
                .containsExactlyInAnyOrder(
                        "deploy-rollback.yaml:5: environments.production.targets[0].host: \"deploy@web-1.example.com\""
                                + " includes a user: give the host alone, and the user with user: deploy",
                        "deploy-rollback.yaml:6: environments.production.targets[1].host: \"web-2.example.com:2222\""
                                + " includes a port: give the host alone, and the port with port: 2222",
                        "deploy-rollback.yaml:7: environments.production.targets[2].host: \"ssh://web-3.example.com\""
                                + " is a URL: give the host name or IP address alone",
                        "deploy-rollback.yaml:8: environments.production.targets[3].host: SSH host \"web_4!\" is"
                                + " invalid: give a host name or an IP address, without user or port",
                        "deploy-rollback.yaml:10: environments.production.targets[4].port: 70000 is not a TCP port: use"
                                + " 1 to 65535 (SSH listens on 22 unless told otherwise)",
                        "deploy-rollback.yaml:12: environments.production.targets[5].path: \"srv/shop\" is relative,"
                                + " but the path of a target with a host is the deploy path on that host, and must be"
                                + " absolute, such as /srv/app; for a folder on this machine, leave out host",
                        "deploy-rollback.yaml:14: environments.production.targets[6].path: \"~/shop\" is not expanded"
                                + " on the host: give the absolute deploy path, such as /home/deploy/app",
                        "deploy-rollback.yaml:16: environments.production.targets[7].path: Deploy path \"/srv/../etc\""
                                + " of web-8.example.com is invalid: give an absolute path other than /, without . or .."
                                + " segments, made of letters, digits and . _ @ + - /",
                        "deploy-rollback.yaml:17: environments.production.targets[8]: has neither host nor path: give"
                                + " host: (a host reached over SSH, such as host: web-1.example.com) or path: (a folder"
                                + " on this machine, such as path: /srv/app)");
    }

    @Test
    public void unknownAndMisplacedKeysAreRefusedWithWhatIsAllowed() throws Exception {
        problems("""
                        environments:
                          production:
                            ssh:
                              user: deploy
                              identityFile: ~/.ssh/deploy_ed25519
                              path: /srv/shop
                              host: web-0.example.com
                              conectTimeout: 5s
                              retries: {attempts: 3, delays: 1s}
                            targets:
                              - host: web-1.example.com
                                hosts: [web-2.example.com]
                              - path: /srv/local
                                user: deploy
                        """)
                .containsExactlyInAnyOrder(
                        "deploy-rollback.yaml:7: environments.production.ssh.host: is given per target: list each host"
                                + " under targets, e.g. - host: web-1.example.com",
                        "deploy-rollback.yaml:8: environments.production.ssh.conectTimeout: is not a known setting (did"
                                + " you mean connectTimeout?); known here: commandTimeout, connectTimeout, hostKeyPolicy,"
                                + " identityEnv, identityFile, keepAlive, knownHosts, passphraseEnv, path, port,"
                                + " retries, user",
                        "deploy-rollback.yaml:9: environments.production.ssh.retries.delays: is not a known setting"
                                + " (did you mean delay?); known here: attempts, delay, maxDelay",
                        "deploy-rollback.yaml:12: environments.production.targets[0].hosts: is not a known setting"
                                + " (did you mean host?); known here: commandTimeout, connectTimeout, host,"
                                + " hostKeyPolicy, identityEnv, identityFile, keepAlive, knownHosts, name,"
                                + " passphraseEnv, path, port, retries, user",
                        "deploy-rollback.yaml:14: environments.production.targets[1].user: applies to SSH targets only:"
                                + " add host: to deploy to a host over SSH, or leave it out for a folder on this"
                                + " machine");
    }

    @Test
    public void timeoutsRetriesAndConcurrencyAreCheckedAtTheirKeys() throws Exception {
        problems("""
                        environments:
                          production:
                            concurrency: 0
                            ssh:
                              user: deploy
                              identityFile: ~/.ssh/deploy_ed25519
                              path: /srv/shop
                              connectTimeout: 0s
                              keepAlive: soon
                              retries: {attempts: 50}
                            targets:
                              - host: web-1.example.com
                              - host: web-2.example.com
                                retries: 3
                        """)
                .containsExactlyInAnyOrder(
                        "deploy-rollback.yaml:3: environments.production.concurrency: Environment production has"
                                + " concurrency 0: use 1 (one target at a time) to 500",
                        "deploy-rollback.yaml:8: environments.production.ssh.connectTimeout: SSH connect timeout PT0S"
                                + " is invalid: give a positive duration",
                        "deploy-rollback.yaml:9: environments.production.ssh.keepAlive: \"soon\" is not a duration:"
                                + " write a number with a unit, such as 500ms, 30s, 5m or 1h30m",
                        "deploy-rollback.yaml:10: environments.production.ssh.retries.attempts: Retry attempts 50 is"
                                + " out of range: use 1 (no retry) to 20 attempts in all",
                        "deploy-rollback.yaml:14: environments.production.targets[1].retries: must be a map such as"
                                + " {attempts: 3, delay: 1s, maxDelay: 10s}, not the value \"3\"");
    }

    @Test
    public void aPassphraseEnvInTheSshBlockNeedsTheKeyItUnlocksThere() throws Exception {
        environment.put("DEPLOY_SSH_PASSPHRASE", "pass phrase 42");

        problems("""
                        environments:
                          production:
                            ssh: {user: deploy, path: /srv/shop, passphraseEnv: DEPLOY_SSH_PASSPHRASE}
                            targets:
                              - {host: web-1.example.com, identityFile: ~/.ssh/deploy_ed25519}
                        """)
                .containsExactly("deploy-rollback.yaml:3: environments.production.ssh.passphraseEnv: a passphrase"
                        + " belongs to the key it unlocks: give passphraseEnv next to that key's identityFile or"
                        + " identityEnv");
    }

    @Test
    public void aProblemInheritedByEveryTargetIsListedOnce() throws Exception {
        problems("""
                        environments:
                          production:
                            ssh: {user: deploy, path: /srv/shop, identityEnv: DEPLOY_SSH_KEY}
                            targets:
                              - host: web-1.example.com
                              - host: web-2.example.com
                              - host: web-3.example.com
                        """)
                .containsExactly("deploy-rollback.yaml:3: environments.production.ssh.identityEnv: environment variable"
                        + " DEPLOY_SSH_KEY is not set: set it to the text of the private key (-----BEGIN … PRIVATE"
                        + " KEY----- …) before running deploy-rollback, or give a key file with identityFile");
    }

    @Test
    public void twoTargetsOnTheSameHostNeedNames() throws Exception {
        problems("""
                        environments:
                          production:
                            ssh: {user: deploy, identityFile: ~/.ssh/deploy_ed25519}
                            targets:
                              - {host: web-1.example.com, path: /srv/blue}
                              - {host: web-1.example.com, path: /srv/green}
                        """)
                .containsExactly("deploy-rollback.yaml:3: environments.production: Environment production names target"
                        + " \"web-1.example.com\" twice: names must be unique");
    }

    @Test
    public void writtenSecretsAreRefusedWithHowToGiveThemInstead() throws Exception {
        List<String> expected = List.of(
                "deploy-rollback.yaml:5: environments.production.ssh.passphrase: a passphrase is never written in"
                        + " this file: put it in an environment variable and give that variable's name with"
                        + " passphraseEnv",
                "deploy-rollback.yaml:7: environments.production.targets[0].privateKey: a private key is never written"
                        + " in this file: give the path of its file (readable only by you) with identityFile, or the"
                        + " name of an environment variable holding it with identityEnv",
                "deploy-rollback.yaml:8: environments.production.targets[0].password: password login is not"
                        + " supported, and a password is never written in this file: log in with a key (identityFile"
                        + " or identityEnv)");

        problems("""
                        environments:
                          production:
                            ssh:
                              user: deploy
                              passphrase: hunter2
                            targets:
                              - privateKey: not repeated
                                password: hunter2
                                host: web-1.example.com
                                identityFile: ~/.ssh/deploy_ed25519
                                path: /srv/shop
                        """).containsExactlyInAnyOrderElementsOf(expected);
    }
}
