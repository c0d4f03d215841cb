package io.jenkins.plugins.deployrollback.engine.history;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.support.JsonLines;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * History in a folder of plain files, for the command line:
 *
 * <pre>
 * &lt;folder&gt;/environments/&lt;environment&gt;/history.jsonl      one record per line, appended
 * &lt;folder&gt;/environments/&lt;environment&gt;/in-progress.json   the attempt switching now, if any
 * &lt;folder&gt;/releases/&lt;release-id&gt;.json                       the catalog: written once, never changed
 * </pre>
 *
 * Appends are atomic and durable (see {@link JsonLines}); the in-progress note and catalog entries
 * are written to a temporary file and renamed into place, so a reader sees a whole one or none.
 */
public final class FileHistoryStore implements HistoryStore {
    /** Crash point reached with half a record written. */
    public static final String CRASH_MID_RECORD = "mid-record";

    private final Path folder;

    public FileHistoryStore(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    /** The folder this store keeps its files in. */
    public Path folder() {
        return folder;
    }

    /**
     * A token that changes whenever {@code environment}'s history does (a record appended, an attempt
     * begun or finished), read from two file attributes: for callers that keep what they read, such as
     * the build pages of Jenkins, to know when it is stale without reading the history again.
     */
    public String changeToken(EnvironmentName environment) throws IOException {
        return stamp(historyFile(environment)) + "/" + stamp(attemptFile(environment));
    }

    private static String stamp(Path file) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.size() + "@" + attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS) + "#"
                    + attributes.fileKey();
        } catch (NoSuchFileException e) {
            return "none";
        }
    }

    private Path historyFile(EnvironmentName environment) {
        return folder.resolve("environments").resolve(environment.value()).resolve("history.jsonl");
    }

    private Path attemptFile(EnvironmentName environment) {
        return folder.resolve("environments").resolve(environment.value()).resolve("in-progress.json");
    }

    private Path catalogFile(ReleaseId id) {
        return folder.resolve("releases").resolve(id.value() + ".json");
    }

    @Override
    public void begin(AttemptInProgress attempt) throws IOException {
        writeAtomically(attemptFile(attempt.environment()), Json.mapper().writeValueAsBytes(attempt));
    }

    @Override
    public void append(DeploymentRecord record) throws IOException {
        JsonLines.append(historyFile(record.environment()), record, CRASH_MID_RECORD);
        Optional<AttemptInProgress> attempt = attempt(record.environment());
        if (attempt.isPresent() && attempt.get().id().equals(record.id())) {
            Files.deleteIfExists(attemptFile(record.environment()));
        }
    }

    private Optional<AttemptInProgress> attempt(EnvironmentName environment) throws IOException {
        try {
            return Optional.of(
                    Json.mapper().readValue(Files.readAllBytes(attemptFile(environment)), AttemptInProgress.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public History read(EnvironmentName environment) throws IOException {
        List<String> problems = new ArrayList<>();
        List<DeploymentRecord> records = records(environment, problems);
        Map<ReleaseId, Release> releases = new HashMap<>();
        for (DeploymentRecord r : records) {
            for (ReleaseId id : new ReleaseId[] {r.release(), r.previous(), r.live()}) {
                if (id != null && !releases.containsKey(id)) {
                    Optional<Release> release = release(id);
                    if (release.isPresent()) {
                        releases.put(id, release.get());
                    }
                }
            }
        }
        AttemptInProgress interrupted = unfinished(environment, records).orElse(null);
        if (interrupted != null && !releases.containsKey(interrupted.release())) {
            release(interrupted.release()).ifPresent(r -> releases.put(r.id(), r));
        }
        return new History(environment, records, releases, problems, interrupted);
    }

    /**
     * The attempt noted before its switch and not recorded among {@code records}: running now, or
     * interrupted. A note whose record was appended (the process died before clearing it) is neither.
     */
    Optional<AttemptInProgress> unfinished(EnvironmentName environment, List<DeploymentRecord> records)
            throws IOException {
        return attempt(environment).filter(a -> records.stream().noneMatch(r -> r.id().equals(a.id())));
    }

    /** The environment's records, oldest first, reading nothing but its history file; what went wrong goes to {@code problems}. */
    List<DeploymentRecord> records(EnvironmentName environment, List<String> problems) throws IOException {
        List<DeploymentRecord> records = new ArrayList<>();
        for (DeploymentRecord r : JsonLines.read(historyFile(environment), DeploymentRecord.class, problems)) {
            if (r.environment().equals(environment)) {
                records.add(r);
            } else {
                problems.add("a record of environment " + r.environment() + " is filed under " + environment
                        + "; it was ignored");
            }
        }
        return records;
    }

    @Override
    public Release register(Release release) throws IOException {
        Path file = catalogFile(release.id());
        Files.createDirectories(file.getParent());
        Release[] stored = new Release[1];
        JsonLines.withExclusiveLock(file.getParent().resolve(".catalog.lock"), channel -> {
            Optional<Release> existing = release(release.id());
            if (existing.isPresent()) {
                if (!existing.get().sameAs(release)) {
                    throw ReleaseConflictException.between(existing.get(), release);
                }
                stored[0] = existing.get();
                return;
            }
            writeAtomically(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(release));
            stored[0] = release;
        });
        return stored[0];
    }

    /** Writes a temporary file, forces it to disk and renames it into place: readers see all of it or none. */
    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), ".new-", ".json");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(content));
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public Optional<Release> release(ReleaseId id) throws IOException {
        try {
            return Optional.of(Json.mapper().readValue(Files.readAllBytes(catalogFile(id)), Release.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** The environments that have a history here. */
    public List<EnvironmentName> environments() throws IOException {
        Path root = folder.resolve("environments");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (var names = Files.list(root)) {
            return names.filter(p -> Files.isRegularFile(p.resolve("history.jsonl")))
                    .map(p -> EnvironmentName.of(p.getFileName().toString()))
                    .sorted(java.util.Comparator.comparing(EnvironmentName::value))
                    .toList();
        }
    }
}
