package io.jenkins.plugins.deployrollback.engine.testing;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.FileHistoryStore;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A history writer in a process of its own, for the concurrent-writer tests:
 * {@code AppendRecords <history folder> <environment> <writer> <count>} prints {@code ready}, waits for
 * a line {@code go} on its input so that every writer starts at once, appends {@code count} records
 * with ids {@code <writer>-<n>}, then exits.
 */
public final class AppendRecords {
    private AppendRecords() {}

    public static void main(String[] args) throws IOException {
        FileHistoryStore store = new FileHistoryStore(Path.of(args[0]));
        EnvironmentName environment = EnvironmentName.of(args[1]);
        System.out.println("ready");
        System.out.flush();
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (!"go".equals(line)) {
            throw new IllegalStateException("expected \"go\", got " + line);
        }
        append(store, environment, args[2], Integer.parseInt(args[3]));
    }

    /** Appends {@code count} records {@code <writer>-0 …}, each large enough to span several disk blocks' worth of writes. */
    public static void append(FileHistoryStore store, EnvironmentName environment, String writer, int count)
            throws IOException {
        for (int i = 0; i < count; i++) {
            Instant now = Instant.now();
            store.append(new DeploymentRecord(
                    writer + "-" + i,
                    environment,
                    Operation.DEPLOY,
                    ReleaseId.of("r" + i),
                    null,
                    ReleaseId.of("r" + i),
                    Outcome.SUCCEEDED,
                    writer,
                    null,
                    now,
                    now,
                    null,
                    null,
                    null,
                    List.of(writer.repeat(8192 / writer.length()))));
        }
    }
}
