package io.jenkins.plugins.deployrollback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * The helper ({@code deploy-rollback daemon}) as a user runs it, through the launcher: the commands
 * it runs get the client's environment and report as they would in a JVM of their own, Ctrl-C stops
 * a command and releases its lock, and a folder others may enter is refused.
 */
public class DaemonIT {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    /** A helper that never answers fails the test instead of hanging the build. */
    @Rule
    public Timeout limit = Timeout.seconds(240);

    private Path dir;
    private Path helpers;
    private Path launcher;

    @Before
    public void aFolderTargetWithAHookThatShowsAVariable() throws Exception {
        dir = temp.newFolder("work").toPath().toRealPath();
        helpers = temp.getRoot().toPath().resolve("helpers");
        launcher = CliProcess.jar().toAbsolutePath().resolveSibling("deploy-rollback");
        Files.writeString(dir.resolve("deploy-rollback.yaml"), """
                state: state
                environments:
                  staging:
                    targets:
                      - name: local
                        path: target
                    hooks:
                      - name: show
                        phase: afterSwitch
                        runOn: both
                        command: echo "GREETING is [$GREETING]"
                      - name: wait
                        phase: beforeSwitch
                        runOn: deploy
                        command: 'if [ -p "$WAIT_FIFO" ]; then echo started > "$WAIT_FIFO"; sleep 600; fi'
                        timeout: 15m
                """);
        for (String release : List.of("r1", "r2", "r3")) {
            Path folder = Files.createDirectories(dir.resolve("artifacts").resolve(release));
            Files.writeString(folder.resolve("index.html"), "release " + release + "\n");
        }
    }

    @After
    public void stopTheHelper() throws Exception {
        run(Map.of(), "daemon", "stop", "--now");
    }

    @Test
    public void commandsGetTheClientsEnvironmentAndReportAsInAJvmOfTheirOwn() throws Exception {
        Result started = run(Map.of(), "daemon", "start", "--idle", "10m");
        assertThat(started.exit).as(started.output).isZero();
        assertThat(started.output).startsWith("Started the helper for " + dir + " (pid ");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(helpers)))
                .isEqualTo("rwx------");

        Result first =
                run(Map.of("GREETING", "hello"), "deploy", "staging", "--release", "r1", "--artifact", "artifacts/r1");
        Result second =
                run(Map.of("GREETING", "again"), "deploy", "staging", "--release", "r2", "--artifact", "artifacts/r2");

        assertThat(first.exit).as(first.output).isZero();
        assertThat(first.output).contains("show@local | GREETING is [hello]");
        assertThat(second.output).contains("show@local | GREETING is [again]");
        assertThat(Files.readSymbolicLink(dir.resolve("target/current")).toString())
                .endsWith("r2");

        Result status = run(Map.of(), "daemon", "status");
        assertThat(status.exit).as(status.output).isZero();
        assertThat(status.output).contains("commands 2 run, 0 running");
        // It warmed up before it took the first command; the warm-up's commands are not counted.
        Path log = Path.of(
                status.output.substring(status.output.lastIndexOf("log ") + 4).trim());
        assertThat(Files.readString(log)).containsPattern("warmed up in [0-9.]+ s \\([0-9]+ rounds");

        // A failing command: the same status and message through the helper as without it.
        Result helped = run(Map.of(), "rollback", "nowhere");
        Result alone = run(Map.of("DEPLOY_ROLLBACK_DAEMON", "off"), "rollback", "nowhere");
        assertThat(helped.exit).isEqualTo(alone.exit).isEqualTo(ExitCode.USAGE);
        assertThat(helped.output).isEqualTo(alone.output);
        assertThat(run(Map.of(), "daemon", "status").output).contains("commands 3 run");

        Result stopped = run(Map.of(), "daemon", "stop");
        assertThat(stopped.output).contains("Stopped the helper for " + dir);
        assertThat(run(Map.of(), "daemon", "status").exit).isEqualTo(ExitCode.FAILED);
        Result without = run(Map.of("GREETING", "alone"), "rollback", "staging");
        assertThat(without.exit).as(without.output).isZero();
        assertThat(without.output).contains("GREETING is [alone]");
    }

    @Test
    public void ctrlCInTheClientStopsTheCommandInTheHelperAndReleasesItsLock() throws Exception {
        assertThat(run(Map.of(), "daemon", "start").exit).isZero();
        Path fifo = dir.resolve("hook.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .isZero();
        Map<String, String> environment = new HashMap<>(Map.of("WAIT_FIFO", fifo.toString()));
        Path deployOutput = temp.newFile("deploy.txt").toPath();
        Process deploy =
                start(environment, deployOutput, "deploy", "staging", "--release", "r1", "--artifact", "artifacts/r1");

        // The hook writes to the pipe once it runs, with the lock held, then waits ten minutes.
        try (BufferedReader hook = Files.newBufferedReader(fifo)) {
            assertThat(hook.readLine()).isEqualTo("started");
        }
        // SIGTERM to the launcher, as Ctrl-C's SIGINT: it passes it on to the client, whose shutdown
        // asks the helper to stop the command.
        deploy.destroy();
        assertThat(deploy.waitFor(2, TimeUnit.MINUTES)).as("the client ended").isTrue();
        String output = Files.readString(deployOutput);

        assertThat(deploy.exitValue()).as(output).isEqualTo(130);
        assertThat(output).contains("interrupted");
        Result next = run(Map.of(), "deploy", "staging", "--release", "r2", "--artifact", "artifacts/r2");
        assertThat(next.exit).as("not locked: " + next.output).isZero();
    }

    @Test
    public void aHelperWhoseWarmUpFailsServesAllTheSame() throws Exception {
        // No temporary folder to warm up in: every JVM started here is told so.
        Map<String, String> noTemp = Map.of(
                "JAVA_TOOL_OPTIONS",
                "-Djava.io.tmpdir=" + temp.getRoot().toPath().resolve("no-such-folder"));

        Result started = run(noTemp, "daemon", "start");
        Result listed = run(noTemp, "history", "staging");

        assertThat(started.exit).as(started.output).isZero();
        assertThat(started.output).contains("Started the helper for " + dir + " (pid ");
        assertThat(listed.exit).as(listed.output).isZero();
        Result status = run(Map.of(), "daemon", "status");
        assertThat(status.output).contains("commands 1 run, 0 running");
        Path log = Path.of(
                status.output.substring(status.output.lastIndexOf("log ") + 4).trim());
        assertThat(Files.readString(log))
                .contains("warm-up failed, serving without it: java.nio.file.NoSuchFileException")
                .doesNotContain("warmed up in");
    }

    @Test
    public void aHelpersFolderOthersMayEnterIsRefused() throws Exception {
        Files.createDirectories(helpers);
        Files.setPosixFilePermissions(helpers, PosixFilePermissions.fromString("rwxr-xr-x"));

        Result started = run(Map.of(), "daemon", "start");

        assertThat(started.exit).isEqualTo(ExitCode.ERROR);
        assertThat(started.output)
                .contains("The helpers' folder " + helpers + " is open to others (mode rwxr-xr-x)")
                .contains("chmod 700");
        assertThat(helpers).isEmptyDirectory();
    }

    private record Result(int exit, String output) {}

    /** Runs the launcher with its output to a file: a helper it leaves running cannot hold it open. */
    private Process start(Map<String, String> environment, Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().remove("XDG_RUNTIME_DIR");
        builder.environment().put("DEPLOY_ROLLBACK_DAEMON_DIR", helpers.toString());
        builder.environment().putAll(environment);
        return builder.start();
    }

    private Result run(Map<String, String> environment, String... args) throws Exception {
        Path output = Files.createTempFile(temp.getRoot().toPath(), "output", ".txt");
        Process process = start(environment, output, args);
        boolean finished = process.waitFor(2, TimeUnit.MINUTES);
        assertThat(finished).as("finished: %s", Files.readString(output)).isTrue();
        return new Result(process.exitValue(), Files.readString(output));
    }
}
