package io.jenkins.plugins.deployrollback.engine.history;

import io.jenkins.plugins.deployrollback.engine.support.JsonLines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where each record came from, in the words of the front end that made it (Jenkins: the number of
 * the build that deployed, or {@code button:<id>}): a file of JSON lines beside the
 * history, appended like the history itself (see {@link JsonLines}), so it survives crashes and two
 * writers at once. The records do not carry it because it is no fact of the deployment, only a way
 * back to whatever started it.
 */
public final class RecordOrigins {
    private final Path file;

    public RecordOrigins(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    /** Notes that record {@code recordId} came from {@code origin}; durable when this returns. */
    public void note(String recordId, String origin) throws IOException {
        if (recordId == null || recordId.isBlank()) {
            throw new IllegalArgumentException("Record id is empty: note the origin of a record by its id");
        }
        Objects.requireNonNull(origin, "origin");
        JsonLines.append(file, new Note(recordId, origin));
    }

    /**
     * Every record's origin by record id; a record noted twice has its newer origin. A note torn by a
     * writer that died mid-line, or otherwise unreadable, is skipped: its record's origin is unknown.
     */
    public Map<String, String> read() throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (Note note : JsonLines.read(file, Note.class, problems)) {
            if (note.record() != null && note.origin() != null) {
                origins.put(note.record(), note.origin());
            }
        }
        return Collections.unmodifiableMap(origins);
    }

    /** One line of the file. */
    record Note(String record, String origin) {}
}
