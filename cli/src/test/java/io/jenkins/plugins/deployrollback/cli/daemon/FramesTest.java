package io.jenkins.plugins.deployrollback.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** What the helper and its client send each other, over a real Unix socket, and where it listens. */
public class FramesTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private ServerSocketChannel server;
    private SocketChannel helperSide;
    private SocketChannel clientSide;

    @Before
    public void aConnectedPair() throws Exception {
        Path socket = temp.getRoot().toPath().resolve("helper.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        CompletableFuture<SocketChannel> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return server.accept();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        clientSide = Frames.connect(socket);
        helperSide = accepted.get();
    }

    @After
    public void close() throws IOException {
        helperSide.close();
        clientSide.close();
        server.close();
    }

    @Test
    public void aRequestArrivesAsItWasSentAndNeverShowsItsEnvironment() throws Exception {
        Frames.Request sent = new Frames.Request(
                Frames.VERSION,
                "jar 123 456",
                "/srv/app",
                true,
                "UTF-8",
                List.of("deploy", "prod", "--release", "r 1 ü"),
                Map.of("TOKEN", "s3cr3t", "EMPTY", ""));

        Frames.write(Frames.output(clientSide), Frames.RUN, sent.encode());
        Frames.Frame frame = Frames.read(Frames.input(helperSide));

        assertThat(frame.type()).isEqualTo(Frames.RUN);
        assertThat(Frames.Request.decode(frame.payload())).isEqualTo(sent);
        assertThat(sent.toString()).doesNotContain("s3cr3t").doesNotContain("TOKEN");
    }

    @Test
    public void anInterruptedCommandsOutputAndTheExitStatusStillReachTheClient() throws Exception {
        DataOutputStream helperOut = Frames.outputForAnyThread(helperSide, "test-output");
        CompletableFuture<Void> command = CompletableFuture.runAsync(() -> {
            // A command being stopped prints why, with its interrupt flag set: written from this
            // thread to the channel itself, the write would close the connection.
            Thread.currentThread().interrupt();
            try {
                Frames.stream(helperOut, Frames.ERR).write("interrupted\n".getBytes());
                Frames.writeNumber(helperOut, Frames.EXIT, 10);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            assertThat(Thread.currentThread().isInterrupted())
                    .as("the flag is kept")
                    .isTrue();
        });
        command.get();

        DataInputStream clientIn = Frames.input(clientSide);
        Frames.Frame said = Frames.read(clientIn);
        Frames.Frame exit = Frames.read(clientIn);
        assertThat(said.type()).isEqualTo(Frames.ERR);
        assertThat(said.text()).isEqualTo("interrupted\n");
        assertThat(exit.type()).isEqualTo(Frames.EXIT);
        assertThat(exit.number()).isEqualTo(10);
        assertThat(helperSide.isOpen()).isTrue();
    }

    @Test
    public void writingToAClientThatWentAwaySaysSo() throws Exception {
        DataOutputStream helperOut = Frames.outputForAnyThread(helperSide, "test-output");
        clientSide.close();

        assertThatThrownBy(() -> {
                    for (int i = 0; i < 1000; i++) {
                        Frames.write(helperOut, Frames.OUT, new byte[4096]);
                    }
                })
                .isInstanceOf(IOException.class)
                .hasMessageContaining("the client went away");
    }

    @Test
    public void aFrameTooLargeOrCutShortIsRefused() throws Exception {
        DataOutputStream clientOut = Frames.output(clientSide);
        clientOut.writeByte(Frames.RUN);
        clientOut.writeInt(Integer.MAX_VALUE);
        clientOut.flush();

        assertThatThrownBy(() -> Frames.read(Frames.input(helperSide)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("malformed frame");
    }

    @Test
    public void eachWorkingFolderHasASocketOfItsOwnInTheNamedFolder() {
        Map<String, String> named = Map.of(HelperFolder.VARIABLE, "/run/me/helpers", "XDG_RUNTIME_DIR", "/run/user/7");
        HelperFolder folder = HelperFolder.of(named, 7);

        assertThat(folder.path()).isEqualTo(Path.of("/run/me/helpers"));
        assertThat(folder.socket(Path.of("/srv/a"))).isNotEqualTo(folder.socket(Path.of("/srv/b")));
        assertThat(folder.socket(Path.of("/srv/a")).getParent()).isEqualTo(folder.path());
        assertThat(HelperFolder.of(Map.of("XDG_RUNTIME_DIR", "/run/user/7"), 7).path())
                .isEqualTo(Path.of("/run/user/7/deploy-rollback"));
        assertThat(HelperFolder.of(Map.of("XDG_RUNTIME_DIR", "relative"), 7).path())
                .isEqualTo(Path.of("/tmp/deploy-rollback-7"));
    }

    @Test
    public void aHelpersFolderIsMadePrivateAndOneOpenToOthersIsRefused() throws Exception {
        Path made = temp.getRoot().toPath().resolve("new/helpers");
        HelperFolder.of(Map.of(HelperFolder.VARIABLE, made.toString()), 0).prepare(Identity.user());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made)))
                .isEqualTo("rwx------");

        Path open = Files.createDirectory(
                temp.getRoot().toPath().resolve("open"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> HelperFolder.of(Map.of(HelperFolder.VARIABLE, open.toString()), 0)
                        .prepare(Identity.user()))
                .hasMessageContaining("is open to others (mode rwxrwxrwx)")
                .hasMessageContaining("chmod 700 " + open);

        Path file = Files.createFile(temp.getRoot().toPath().resolve("a-file"));
        assertThatThrownBy(() -> HelperFolder.of(Map.of(HelperFolder.VARIABLE, file.toString()), 0)
                        .prepare(Identity.user()))
                .hasMessageContaining("is not a folder");
    }
}
