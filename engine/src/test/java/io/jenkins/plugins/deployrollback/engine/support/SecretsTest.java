package io.jenkins.plugins.deployrollback.engine.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.Test;

public class SecretsTest {
    private static final String KEY = """
            -----BEGIN OPENSSH PRIVATE KEY-----
            b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
            QyNTUxOQAAACDxq1n0mN9oV0kQw3c2Tt6m8gq8p2v2y3zYxV6b2l4t8QAAAJgL0m3sC9Jt
            AAAAA=
            -----END OPENSSH PRIVATE KEY-----
            """;

    @Test
    public void everyLongLineOfAKeyIsMaskedOnItsOwnButNotItsArmourOrAShortLastLine() {
        Secrets secrets = Secrets.value(KEY);

        assertThat(secrets.mask("line: b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"))
                .isEqualTo("line: ****");
        assertThat(secrets.mask("  QyNTUxOQAAACDxq1n0mN9oV0kQw3c2Tt6m8gq8p2v2y3zYxV6b2l4t8QAAAJgL0m3sC9Jt"))
                .isEqualTo("  ****");
        assertThat(secrets.mask("-----BEGIN OPENSSH PRIVATE KEY-----"))
                .isEqualTo("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(secrets.mask("AAAAA=")).isEqualTo("AAAAA=");
    }

    @Test
    public void aValueContainingAnotherIsMaskedWhole() {
        Secrets secrets = Secrets.value("hunter2").and(Secrets.value("hunter2-and-more"));

        assertThat(secrets.mask("a hunter2-and-more b hunter2")).isEqualTo("a **** b ****");
    }

    @Test
    public void withheldVariablesAreRemovedFromAnEnvironmentAndTheirValuesMasked() {
        Secrets secrets =
                Secrets.variable("DEPLOY_SSH_PASSPHRASE", "correct horse").and(Secrets.value("token-1"));
        Map<String, String> environment = new HashMap<>(Map.of("DEPLOY_SSH_PASSPHRASE", "x", "PATH", "/usr/bin"));

        secrets.prepare(environment);

        assertThat(environment).containsOnlyKeys("PATH");
        assertThat(secrets.withheld()).containsExactly("DEPLOY_SSH_PASSPHRASE");
        assertThat(secrets.mask("pass correct horse, token token-1")).isEqualTo("pass ****, token ****");
    }

    @Test
    public void itsDescriptionNamesTheVariablesButNoValue() {
        Secrets secrets =
                Secrets.variable("DEPLOY_SSH_PASSPHRASE", "correct horse").and(Secrets.value(KEY));

        assertThat(secrets.toString())
                .contains("DEPLOY_SSH_PASSPHRASE")
                .doesNotContain("correct horse")
                .doesNotContain("b3BlbnNzaC1rZXkt");
    }

    @Test
    public void aCommandGetsNoWithheldVariableAndItsOutputAndTailAreMasked() throws Exception {
        // A variable this process has for sure: the command would inherit it if it were not withheld.
        String inherited = System.getenv().keySet().stream()
                .filter(name -> !name.equals("PATH") && name.matches("[A-Za-z_][A-Za-z0-9_]*"))
                .filter(name -> System.getenv(name).length() >= 8)
                .findFirst()
                .orElseThrow();
        Secrets secrets = Secrets.variable(inherited, System.getenv(inherited)).and(Secrets.value("s3cret-token"));
        List<String> shown = new CopyOnWriteArrayList<>();

        ShellCommand.Result result = ShellCommand.run(
                "printenv " + inherited + " || echo withheld; echo token s3cret-token; exit 3",
                new File("."),
                Map.of(),
                secrets,
                Duration.ofSeconds(30),
                shown::add,
                started -> {},
                () -> false);

        assertThat(result.exitStatus()).isEqualTo(3);
        assertThat(shown).containsExactly("withheld", "token ****");
        assertThat(result.lastOutput()).containsExactly("withheld", "token ****");
    }

    @Test
    public void aCommandStartsFromTheVariablesItWasGivenNotFromThisProcesss() throws Exception {
        String inherited = System.getenv().keySet().stream()
                .filter(name -> !name.equals("PATH") && name.matches("[A-Za-z_][A-Za-z0-9_]*"))
                .findFirst()
                .orElseThrow();
        Secrets secrets = Secrets.variable("CLIENT_TOKEN", "client-token-value")
                .forCommandsStartingFrom(Map.of(
                        "PATH", System.getenv("PATH"),
                        "CLIENT_ONLY", "from the client",
                        "CLIENT_TOKEN", "client-token-value"))
                .and(Secrets.value("other-secret"));
        List<String> shown = new CopyOnWriteArrayList<>();

        ShellCommand.Result result = ShellCommand.run(
                "echo \"$CLIENT_ONLY\"; printenv " + inherited + " || echo not inherited;"
                        + " printenv CLIENT_TOKEN || echo withheld",
                new File("."),
                Map.of(),
                secrets,
                Duration.ofSeconds(30),
                shown::add,
                started -> {},
                () -> false);

        assertThat(result.exitStatus()).isZero();
        assertThat(shown).containsExactly("from the client", "not inherited", "withheld");
        assertThat(secrets.toString()).doesNotContain("from the client");
    }
}
