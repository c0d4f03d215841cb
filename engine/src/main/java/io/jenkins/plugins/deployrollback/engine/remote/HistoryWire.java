package io.jenkins.plugins.deployrollback.engine.remote;

import io.jenkins.plugins.deployrollback.engine.history.HistoryStore;
import java.io.IOException;

/**
 * A {@link HistoryStore} as plain text: each call takes and returns JSON, so it crosses any channel
 * that carries strings. {@link #serving} answers it from a real store; {@link RemoteHistoryStore}
 * turns it back into a {@code HistoryStore} on the other side. The JSON is an exchange between those
 * two: a channel carries it as it is, without reading it. A channel must carry an {@link IOException}
 * thrown by the far side to the caller with its message.
 */
public interface HistoryWire {
    /** {@link HistoryStore#begin}, the attempt as JSON. */
    void begin(String attemptJson) throws IOException;

    /** {@link HistoryStore#append}, the record as JSON. */
    void append(String recordJson) throws IOException;

    /** {@link HistoryStore#read}: the history of the named environment as JSON. */
    String read(String environment) throws IOException;

    /**
     * {@link HistoryStore#register}: the release as JSON in; out, the recorded release or, when the id
     * is recorded with other content or facts, the conflict (which {@link RemoteHistoryStore} throws
     * again as a {@link io.jenkins.plugins.deployrollback.engine.history.ReleaseConflictException}).
     */
    String register(String releaseJson) throws IOException;

    /** {@link HistoryStore#release}: the recorded release as JSON, or null when there is none. */
    String release(String releaseId) throws IOException;

    /**
     * Answers from {@code store}; {@code appended} hears of every record once it is durable. When
     * {@code appended} fails, the append fails saying that the record is stored all the same.
     */
    static HistoryWire serving(HistoryStore store, RecordListener appended) {
        return new HistoryWireServer(store, appended);
    }

    /**
     * Hears of each record once it is stored (Jenkins: notes which build made it, see {@link
     * io.jenkins.plugins.deployrollback.engine.history.RecordOrigins}).
     */
    @FunctionalInterface
    interface RecordListener {
        RecordListener NONE = record -> {};

        void appended(io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord record) throws IOException;
    }
}
