package io.jenkins.plugins.deployrollback.run;

import hudson.model.Job;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.FileHistoryStore;
import io.jenkins.plugins.deployrollback.engine.history.RecordOrigins;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

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
    /**
     * The form of a rollback log id ({@code 20260821-140307-123-prod}: when, then the environment), so
     * that an id from a URL can be checked before it names a file.
     */
    private static final Pattern ROLLBACK_ID = Pattern.compile("[0-9]{8}-[0-9]{6}-[0-9]{3}-[A-Za-z0-9._-]{1,64}");

    private final Path root;

    private JobState(Path root) {
        this.root = root;
    }

    public static JobState of(Job<?, ?> job) {
        return new JobState(new File(job.getRootDir(), "deploy-rollback").toPath());
    }

    /**
     * True when some environment has a history here: the job has deployed, or tried to. Cheap enough
     * for every job page (a folder test, then one directory listing); a history that cannot be
     * listed counts as present, so the Deployments page is offered and says what is wrong.
     */
    public boolean exists() {
        if (!Files.isDirectory(root)) {
            return false;
        }
        try {
            return !history().environments().isEmpty();
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /**
     * The release live on {@code environment} as its history says, or empty when none is. Kept per
     * history file and read again only when {@link FileHistoryStore#changeToken} says the file changed,
     * so pages that ask for every build (the build list, the side panels) stat a file instead of
     * parsing the history and the release catalog each time.
     */
    public Optional<String> live(String environment) throws IOException {
        EnvironmentName name = EnvironmentName.of(environment);
        FileHistoryStore history = history();
        String token = history.changeToken(name);
        Path key = root.resolve(environment);
        synchronized (LIVE) {
            Live known = LIVE.get(key);
            if (known != null && known.token.equals(token)) {
                return Optional.ofNullable(known.release);
            }
        }
        String release = history.read(name).current().map(ReleaseId::value).orElse(null);
        synchronized (LIVE) {
            LIVE.put(key, new Live(token, release));
        }
        return Optional.ofNullable(release);
    }

    private record Live(String token, String release) {}

    /** What {@link #live} read, per job and environment; the least recently used are dropped first. */
    private static final Map<Path, Live> LIVE = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Live> eldest) {
            return size() > 4096;
        }
    };

    public FileHistoryStore history() {
        return new FileHistoryStore(root.resolve("history"));
    }

    public RecordOrigins origins() {
        return new RecordOrigins(root.resolve("origins.jsonl"));
    }

    /** True when {@code id} has the form of a rollback log id; only such ids may be given to {@link #rollbackLog}. */
    public static boolean isRollbackId(String id) {
        return id != null && ROLLBACK_ID.matcher(id).matches();
    }

    /** The log of the button-started rollback {@code id}. */
    public Path rollbackLog(String id) {
        return root.resolve("rollbacks").resolve(id + ".log");
    }
}
