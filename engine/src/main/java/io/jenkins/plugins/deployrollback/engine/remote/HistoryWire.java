package io.jenkins.plugins.deployrollback.engine.remote;

import io.jenkins.plugins.deployrollback.engine.history.HistoryStore;
import java.io.IOException;

/**
 * A {@link HistoryStore} as plain text: each call takes and returns JSON, so it crosses any channel
 * that carries strings. {@link #serving} answers it from a real store; {@link RemoteHistoryStore}
 * turns it back into a {@code HistoryStore} on the other side.
 */
public interface HistoryWire {
    /** {@link HistoryStore#begin}, the attempt as JSON. */
    void begin(String attemptJson) throws IOException;

    /** {@link HistoryStore#append}, the record as JSON. */
    void append(String recordJson) throws IOException;

    /** {@link HistoryStore#read}: the history of the named environment as JSON. */
    String read(String environment) throws IOException;

    /** {@link HistoryStore#register}: the release as JSON in, the recorded release as JSON out. */
    String register(String releaseJson) throws IOException;

    /** {@link HistoryStore#release}: the recorded release as JSON, or null when there is none. */
    String release(String releaseId) throws IOException;

    /** Answers from {@code store}; {@code appended} hears of every record once it is durable. */
    static HistoryWire serving(HistoryStore store, RecordListener appended) {
        return new HistoryWireServer(store, appended);
    }

    /** Hears of each record once it is stored (Jenkins: notes which build made it). */
    @FunctionalInterface
    interface RecordListener {
        RecordListener NONE = record -> {};

        void appended(io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord record) throws IOException;
    }
}
