package io.jenkins.plugins.deployrollback.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.targets.ssh.HostKeyVerification;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The fixture itself: real sshd processes that behave like hosts, including dying like one. */
public class SshServerIT {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Rule
    public SshServers hosts = new SshServers(3);

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void runsCommandsAsTheTestUserWithTheHostKeyCheckedStrictly() throws Exception {
        SshServer web1 = hosts.get(0);

        ExecResult result = web1.ssh("echo ok; pwd; id -un");

        assertThat(result.status()).as(result.toString()).isZero();
        assertThat(result.stdout().lines().toList())
                .containsExactly("ok", System.getProperty("user.home"), System.getProperty("user.name"));
        assertThat(web1.sshCommand("true")).contains("StrictHostKeyChecking=yes");
        assertThat(web1.knownHostsLine()).startsWith("[127.0.0.1]:" + web1.port() + " ssh-ed25519 AAAA");
    }

    @Test
    public void clientTrustingAnotherKeyIsRefusedAndToldTheRealFingerprint() throws Exception {
        SshServer web1 = hosts.get(0);
        Path otherKey = temp.getRoot().toPath().resolve("other_known_hosts");
        Files.writeString(otherKey, web1.otherKnownHostsLine() + "\n");

        ExecResult result = ExecResult.run(web1.sshCommand(otherKey, "echo reached"), LIMIT);

        assertThat(result.status()).as(result.toString()).isEqualTo(255);
        assertThat(result.stdout()).doesNotContain("reached");
        assertThat(result.stderr()).contains("Host key verification failed").contains(web1.hostKeyFingerprint());
        assertThat(web1.otherKnownHostsLine())
                .startsWith("[127.0.0.1]:" + web1.port() + " ssh-ed25519 ")
                .isNotEqualTo(web1.knownHostsLine());
    }

    @Test
    public void killedHostRefusesConnectionsAndTakesItsRunningCommandsWithIt() throws Exception {
        SshServer web1 = hosts.get(0);
        Process session = new ProcessBuilder(web1.sshCommand("echo $$; exec sleep 300")).start();
        long remoteSleep = Long.parseLong(firstLine(session));

        web1.kill();

        assertThat(web1.isRunning()).isFalse();
        assertThat(session.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(session.exitValue()).isEqualTo(255);
        assertThat(ProcessHandle.of(remoteSleep).filter(LinuxProcesses::running))
                .isEmpty();
        assertThatThrownBy(() -> connect(web1.port())).isInstanceOf(ConnectException.class);
        ExecResult refused = web1.ssh("echo reached");
        assertThat(refused.status()).isEqualTo(255);
        assertThat(refused.stderr()).contains("Connection refused");
    }

    @Test
    public void restartedHostAnswersOnTheSamePortWithTheSameHostKey() throws Exception {
        SshServer web1 = hosts.get(0);
        String knownHosts = web1.knownHostsLine();
        web1.kill();

        web1.restart();

        assertThat(web1.isRunning()).isTrue();
        assertThat(web1.knownHostsLine()).isEqualTo(knownHosts);
        ExecResult result = web1.ssh("echo back");
        assertThat(result.status()).as(result.toString()).isZero();
        assertThat(result.stdout()).isEqualTo("back\n");
    }

    @Test
    public void restartSaysSoWhenAnotherProcessTookThePort() throws Exception {
        SshServer web1 = hosts.get(0);
        web1.kill();

        try (ServerSocket squatter = new ServerSocket(web1.port(), 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(web1::restart)
                    .hasMessageContaining("cannot listen on port " + web1.port() + " again")
                    .rootCause()
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("Address already in use");
        }
        assertThat(web1.isRunning()).isFalse();
    }

    @Test
    public void closingTwiceIsHarmlessAndLeavesThePortClosed() throws Exception {
        SshServer web1 = hosts.get(0);

        web1.close();
        web1.close();

        assertThat(web1.isRunning()).isFalse();
        assertThatThrownBy(() -> connect(web1.port())).isInstanceOf(ConnectException.class);
        assertThatThrownBy(web1::restart).hasMessageContaining("closed");
    }

    @Test
    public void eachHostHasItsOwnPortRootAndHostKey() throws Exception {
        List<SshServer> all = hosts.all();

        for (SshServer host : all) {
            ExecResult result = host.ssh("echo " + host.name() + " > " + host.root() + "/who");
            assertThat(result.status()).as(result.toString()).isZero();
        }

        assertThat(all).extracting(SshServer::port).doesNotHaveDuplicates();
        assertThat(all).extracting(SshServer::root).doesNotHaveDuplicates();
        assertThat(all).extracting(SshServer::hostKeyFingerprint).doesNotHaveDuplicates();
        for (SshServer host : all) {
            assertThat(Files.readString(host.root().resolve("who"))).isEqualTo(host.name() + "\n");
        }
    }

    @Test
    public void targetsPointAtTheirHostsWithStrictHostKeys() {
        List<SshTarget> targets = hosts.targets();

        assertThat(targets).extracting(SshTarget::name).containsExactly("web-1", "web-2", "web-3");
        for (int i = 0; i < targets.size(); i++) {
            SshTarget target = targets.get(i);
            SshServer host = hosts.get(i);
            assertThat(target.host()).isEqualTo("127.0.0.1");
            assertThat(target.port()).isEqualTo(host.port());
            assertThat(target.root()).isEqualTo(host.root().toString());
            assertThat(target.credentials().user()).isEqualTo(host.user());
            assertThat(target.hostKeys()).isEqualTo(HostKeyVerification.knownHosts(host.knownHostsLine()));
            assertThat(target.settings()).isEqualTo(SshServer.TEST_SETTINGS);
        }
    }

    @Test
    public void scpCopiesIntoTheDeployRootOverSftp() throws Exception {
        SshServer web2 = hosts.get(1);
        Path local = temp.newFile("artifact.txt").toPath();
        Files.writeString(local, "release r1\n");

        ExecResult result = ExecResult.run(web2.scpCommand(local, web2.root() + "/artifact.txt"), LIMIT);

        assertThat(result.status()).as(result.toString()).isZero();
        assertThat(web2.root().resolve("artifact.txt")).hasContent("release r1");
    }

    @Test
    public void acceptsManyConnectionsAtOnce() throws Exception {
        SshServer web3 = hosts.get(2);
        List<Process> clients = new ArrayList<>();

        for (int i = 0; i < 20; i++) {
            Process client = new ProcessBuilder(web3.sshCommand("true")).start();
            client.getOutputStream().close();
            clients.add(client);
        }

        for (Process client : clients) {
            assertThat(client.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(client.exitValue())
                    .as(() -> new String(readErrors(client), StandardCharsets.UTF_8) + web3.log())
                    .isZero();
        }
    }

    private static void connect(int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        }
    }

    /** The first line {@code process} prints, waiting at most {@link #LIMIT} for it. */
    private static String firstLine(Process process) throws Exception {
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
                    try {
                        return lines.readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .get(LIMIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static byte[] readErrors(Process client) {
        try {
            return client.getErrorStream().readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
