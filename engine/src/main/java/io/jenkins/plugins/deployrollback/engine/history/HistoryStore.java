package io.jenkins.plugins.deployrollback.engine.history;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import java.io.IOException;
import java.util.Optional;

/**
 * Where history and the release catalog are kept; each front end provides one (the command line:
 * files in a folder; Jenkins: the jobs' builds). Records are only ever appended. An implementation
 * must survive a crash mid-append (the torn record is reported and skipped, the others kept) and two
 * writers at once.
 */
public interface HistoryStore {
    /**
     * Notes that {@code attempt} is about to switch targets, replacing any earlier note for its
     * environment. Durable when this returns. Cleared by the {@link #append} of the record with the
     * same id; a note never cleared is reported by {@link History#interrupted()}.
     */
    void begin(AttemptInProgress attempt) throws IOException;

    /** Appends one record (clearing the note of its attempt); when this returns it is durable. */
    void append(DeploymentRecord record) throws IOException;

    /** The environment's history, with the releases its records name and any problem met while reading. */
    History read(EnvironmentName environment) throws IOException;

    /**
     * Records {@code release} in the catalog, or confirms it is already there unchanged.
     *
     * @throws ReleaseConflictException when the id is recorded with other content or facts
     */
    Release register(Release release) throws IOException;

    /** The release recorded under {@code id}, if any. */
    Optional<Release> release(ReleaseId id) throws IOException;
}
