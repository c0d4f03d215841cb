package io.jenkins.plugins.deployrollback.cli;

import io.jenkins.plugins.deployrollback.engine.testing.ReleaseServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * A folder with a configuration for environment {@code staging} (one local target served by a real
 * {@link ReleaseServer}, health checked on /health), release folders to deploy, and a way to run
 * commands in this process with their output captured.
 */
final class CliFixture implements AutoCloseable {
    final Path dir;
    final Path target;
    final Path config;
    final ReleaseServer server;

    CliFixture(Path dir, String extraEnvironmentYaml) throws IOException {
        this.dir = dir;
        this.target = dir.resolve("target");
        Files.createDirectories(target);
        this.server = new ReleaseServer(target);
        this.config = dir.resolve("deploy-rollback.yaml");
        Files.writeString(config, """
                state: state
                environments:
                  staging:
                    targets:
                      - name: web-1
                        path: target
                    healthCheck:
                      url: %s
                      attempts: 2
                      interval: 10ms
                      timeout: 2s
                %s""".formatted(
                        server.url("/health"), extraEnvironmentYaml == null ? "" : extraEnvironmentYaml.indent(4)));
    }

    /** A release folder {@code artifacts/<id>}; broken ones answer 500 on /health. */
    Path release(String id, boolean healthy) throws IOException {
        Path folder = dir.resolve("artifacts").resolve(id);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("index.html"), "release " + id + "\n");
        if (!healthy) {
            Files.writeString(folder.resolve("status"), "500\n");
        }
        return folder;
    }

    /** Runs {@code deploy-rollback <args> --config <config>} in this process. */
    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString(), "--by", "tester"));
        int status = command.execute(all.toArray(String[]::new));
        return new Result(status, out.toString(), err.toString());
    }

    Result deploy(String id, boolean healthy, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "deploy",
                "staging",
                "--release",
                id,
                "--artifact",
                release(id, healthy).toString(),
                "--build",
                "app#" + id));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    String live() throws IOException {
        Path current = target.resolve("current");
        return Files.isSymbolicLink(current) ? Files.readSymbolicLink(current).toString() : null;
    }

    @Override
    public void close() {
        server.close();
    }

    record Result(int status, String out, String err) {
        Map<String, Object> json() throws IOException {
            @SuppressWarnings("unchecked")
            Map<String, Object> value = io.jenkins.plugins.deployrollback.engine.support.Json.mapper()
                    .readValue(out, Map.class);
            return value;
        }

        @Override
        public String toString() {
            return "exit " + status + "\n--- out\n" + out + "--- err\n" + err;
        }
    }
}
