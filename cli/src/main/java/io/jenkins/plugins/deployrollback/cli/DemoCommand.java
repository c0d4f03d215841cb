package io.jenkins.plugins.deployrollback.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The end-to-end demonstration: three releases of a small web app deployed to a local target and
 * served by a real HTTP server started from {@code current}. Release 3 is broken, fails its health
 * check and is rolled back automatically; then a manual rollback to release 1 and a roll-forward to
 * release 2. Every step runs the real commands in this process and prints them first.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        header = "Run a real end-to-end demonstration on this machine.",
        description = {
            "Deploys three releases of a small web app to a local target (needs only Java and sh),",
            "watches release 3 fail its health check and roll back on its own, then rolls back by hand",
            "and rolls forward."
        })
final class DemoCommand implements Callable<Integer> {
    private static final String MARKER = ".deploy-rollback-demo";
    private static final String ENVIRONMENT = "demo";

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "Folder to run the demonstration in (default: a new temporary folder). Emptied first.")
    Path dir;

    @Option(
            names = "--keep-running",
            description = "Leave the web app running at the end, to explore with the other commands.")
    boolean keepRunning;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private PrintWriter out;
    private Path config;
    private int port;
    private final List<String> surprises = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        dir = prepareFolder();
        port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        writeReleases();
        config = dir.resolve("deploy-rollback.yaml");
        Files.writeString(config, configuration(java));
        Files.createDirectories(dir.resolve("target/shared/logs"));
        Files.createDirectories(dir.resolve("target/shared/run"));
        Files.createDirectories(dir.resolve("target/shared/db"));

        banner("Deploy Rollback demonstration");
        say("Folder:        " + dir);
        say("Configuration: " + config.getFileName() + " (one environment, 'demo', with one local target: target/)");
        say("Web app:       http://127.0.0.1:" + port + "/  (started from target/current by the 'restart' hook)");
        say(
                "Each step below runs the real command, as `deploy-rollback` (java -jar deploy-rollback.jar) would in that folder.");
        try {
            step(
                    "1. Deploy release r1, built as a tar.gz archive",
                    ExitCode.OK,
                    "deploy",
                    ENVIRONMENT,
                    "--release",
                    "r1",
                    "--artifact",
                    "artifacts/app-r1.tar.gz",
                    "--version",
                    "1.0.0",
                    "--build",
                    "shop#101");
            page();
            step(
                    "2. Deploy release r2, built as a zip archive; it declares nothing special",
                    ExitCode.OK,
                    "deploy",
                    ENVIRONMENT,
                    "--release",
                    "r2",
                    "--artifact",
                    "artifacts/app-r2.zip",
                    "--version",
                    "1.1.0",
                    "--build",
                    "shop#102");
            page();
            step(
                    "3. Deploy release r3, a folder. Its /health answers 500: the health check fails after the switch,\n"
                            + "   so r3 is rolled back to r2 on its own (exit status 3), the 'migrate' hook is not re-run,\n"
                            + "   and r3 is archived in target/.deploy/failed/",
                    ExitCode.ROLLED_BACK,
                    "deploy",
                    ENVIRONMENT,
                    "--release",
                    "r3",
                    "--artifact",
                    "artifacts/app-r3",
                    "--version",
                    "1.2.0",
                    "--build",
                    "shop#103");
            page();
            step(
                    "4. Plan a manual rollback first: where to, switch or redeploy, which hooks run",
                    ExitCode.OK,
                    "plan",
                    "rollback",
                    ENVIRONMENT);
            step(
                    "5. Roll back by hand: by default to the last known good release other than the live one (r1).\n"
                            + "   r1 is still on the target, so this is a switch: nothing is transferred or unpacked.",
                    ExitCode.OK,
                    "rollback",
                    ENVIRONMENT,
                    "--reason",
                    "checkout errors reported by customers");
            page();
            step(
                    "6. Roll forward: by default to the release most recently rolled back from (r2)",
                    ExitCode.OK,
                    "roll-forward",
                    ENVIRONMENT);
            page();
            step("7. The history of the environment", ExitCode.OK, "history", ENVIRONMENT);
            step("8. What the target holds now", ExitCode.OK, "status", ENVIRONMENT);
        } finally {
            if (!keepRunning) {
                stopApp();
            }
        }
        banner(surprises.isEmpty() ? "Demonstration complete" : "Demonstration finished with surprises");
        surprises.forEach(s -> say("UNEXPECTED: " + s));
        say("Look around: " + dir.resolve("target") + " (releases/, current, shared/, .deploy/ledger)");
        say("Try:         java -jar deploy-rollback.jar --help, or any command above with --config " + config);
        if (keepRunning) {
            say("The web app is still running on port " + port + "; stop it with: kill $(cat "
                    + dir.resolve("target/shared/run/server.pid") + ")");
        }
        out.flush();
        return surprises.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
    }

    private void step(String title, int expectedExit, String... args) {
        banner(title);
        say("$ deploy-rollback " + String.join(" ", args));
        out.flush();
        List<String> real = new ArrayList<>();
        for (String arg : args) {
            real.add(arg.startsWith("artifacts/") ? dir.resolve(arg).toString() : arg);
        }
        real.add("--config");
        real.add(config.toString());
        real.add("--by");
        real.add("demo-user");
        CommandLine command = Main.commandLine();
        command.setOut(out);
        command.setErr(out);
        int status = command.execute(real.toArray(String[]::new));
        say("(exit status " + status + ")");
        if (status != expectedExit) {
            surprises.add("step '" + title.lines().findFirst().orElse(title) + "' ended with exit status " + status
                    + ", expected " + expectedExit);
        }
    }

    private void page() {
        URI url = URI.create("http://127.0.0.1:" + port + "/");
        try {
            HttpResponse<String> response = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build()
                    .send(
                            HttpRequest.newBuilder(url)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            say(">> GET " + url + " answers " + response.statusCode() + ": "
                    + response.body().strip());
        } catch (IOException e) {
            say(">> GET " + url + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path prepareFolder() throws IOException {
        Path folder =
                dir != null ? dir.toAbsolutePath().normalize() : Files.createTempDirectory("deploy-rollback-demo-");
        if (Files.exists(folder)) {
            try (var entries = Files.list(folder)) {
                if (entries.findAny().isPresent() && !Files.exists(folder.resolve(MARKER))) {
                    throw new IllegalArgumentException("Demo folder " + folder
                            + " is not empty and was not made by an earlier demo: choose another --dir");
                }
            }
            stopAppIn(folder);
            io.jenkins.plugins.deployrollback.engine.support.FileTrees.delete(folder);
        }
        Files.createDirectories(folder);
        Files.writeString(
                folder.resolve(MARKER), "made by deploy-rollback demo; deleted and rebuilt by the next run\n");
        return folder;
    }

    private void writeReleases() throws IOException {
        Path artifacts = dir.resolve("artifacts");
        Files.createDirectories(artifacts);
        writeTarGz(release("r1", "1.0.0", true), artifacts.resolve("app-r1.tar.gz"));
        writeZip(release("r2", "1.1.0", true), artifacts.resolve("app-r2.zip"));
        Path folder = artifacts.resolve("app-r3");
        for (Map.Entry<String, byte[]> file : release("r3", "1.2.0", false).entrySet()) {
            Path path = folder.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.write(path, file.getValue());
        }
    }

    private Map<String, byte[]> release(String id, String version, boolean healthy) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("App.java", resource("App.java"));
        files.put("bin/restart.sh", resource("restart.sh"));
        files.put("bin/migrate.sh", resource("migrate.sh"));
        files.put(
                "release.properties",
                ("version=" + version + "\nhealthy=" + healthy + "\n").getBytes(StandardCharsets.UTF_8));
        files.put(
                "public/index.html",
                ("Hello from release " + id + " (" + version + ")\n").getBytes(StandardCharsets.UTF_8));
        return files;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("demo/" + name)) {
            if (in == null) {
                throw new IOException("demo resource " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        }
    }

    private static void writeTarGz(Map<String, byte[]> files, Path archive) throws IOException {
        try (OutputStream file = Files.newOutputStream(archive);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            for (Map.Entry<String, byte[]> entry : files.entrySet()) {
                TarArchiveEntry tarEntry = new TarArchiveEntry(entry.getKey());
                tarEntry.setSize(entry.getValue().length);
                tarEntry.setMode(entry.getKey().endsWith(".sh") ? 0100755 : 0100644);
                tar.putArchiveEntry(tarEntry);
                tar.write(entry.getValue());
                tar.closeArchiveEntry();
            }
        }
    }

    private static void writeZip(Map<String, byte[]> files, Path archive) throws IOException {
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(archive)) {
            for (Map.Entry<String, byte[]> entry : files.entrySet()) {
                ZipArchiveEntry zipEntry = new ZipArchiveEntry(entry.getKey());
                zipEntry.setUnixMode(entry.getKey().endsWith(".sh") ? 0100755 : 0100644);
                zip.putArchiveEntry(zipEntry);
                zip.write(entry.getValue());
                zip.closeArchiveEntry();
            }
        }
    }

    private String configuration(String java) {
        return """
                # Written by `deploy-rollback demo`. See docs/configuration.md for every setting.
                state: state                  # history and kept artifacts
                environments:
                  demo:
                    targets:
                      - name: local
                        path: target          # releases/, current, shared/, .deploy/ live here
                    keepReleases: 5
                    shared: [logs/, run/, db/]
                    variables:
                      DEMO_PORT: "%d"
                      DEMO_JAVA: "%s"
                    hooks:
                      - name: migrate
                        phase: beforeSwitch
                        runOn: deploy         # never on a rollback
                        command: sh bin/migrate.sh
                        timeout: 30s
                      - name: restart
                        phase: afterSwitch
                        runOn: both
                        command: sh bin/restart.sh
                        timeout: 90s
                      - name: note-rollback
                        phase: afterSwitch
                        runOn: rollback       # only on a rollback
                        command: echo "rolled back from $DEPLOY_PREVIOUS_RELEASE to $DEPLOY_RELEASE" | tee -a "$DEPLOY_ROOT/shared/logs/rollbacks.log"
                    healthCheck:
                      url: http://127.0.0.1:%d/health
                      expectStatus: 200
                      timeout: 2s
                      attempts: 3
                      interval: 500ms
                """.formatted(port, java.replace("\\", "\\\\").replace("\"", "\\\""), port);
    }

    private void stopApp() {
        stopAppIn(dir);
    }

    private static void stopAppIn(Path folder) {
        Path pidFile = folder.resolve("target/shared/run/server.pid");
        try {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                ProcessHandle.of(pid).ifPresent(process -> {
                    process.destroy();
                    process.onExit()
                            .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                            .exceptionally(e -> null)
                            .join();
                });
            }
        } catch (IOException | NumberFormatException e) {
            // nothing running, or nothing we started
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void banner(String title) {
        out.println();
        out.println("== " + title.replace("\n", "\n   "));
        out.flush();
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
