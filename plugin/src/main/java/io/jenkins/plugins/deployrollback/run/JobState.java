package io.jenkins.plugins.deployrollback.run;

import hudson.model.Job;
import io.jenkins.plugins.deployrollback.engine.history.FileHistoryStore;
import io.jenkins.plugins.deployrollback.engine.history.RecordOrigins;
import java.io.File;
import java.nio.file.Path;

/**
 * Where a job keeps its deployment state, beside its builds:
 *
 * <pre>
 * &lt;job&gt;/deploy-rollback/history/    each environment's records and the release catalog (engine format)
 * &lt;job&gt;/deploy-rollback/origins.jsonl which build (or button press) made each record
 * &lt;job&gt;/deploy-rollback/rollbacks/  the logs of "Roll back to this build"
 * </pre>
 *
 * This is the per-job index: what is live and each environment's history are read from here without
 * loading a single build.
 */
public final class JobState {
    private final Path root;

    private JobState(Path root) {
        this.root = root;
    }

    public static JobState of(Job<?, ?> job) {
        return new JobState(new File(job.getRootDir(), "deploy-rollback").toPath());
    }

    public FileHistoryStore history() {
        return new FileHistoryStore(root.resolve("history"));
    }

    public RecordOrigins origins() {
        return new RecordOrigins(root.resolve("origins.jsonl"));
    }

    /** The log of the button-started rollback {@code id}. */
    public Path rollbackLog(String id) {
        return root.resolve("rollbacks").resolve(id + ".log");
    }
}
