package io.jenkins.plugins.deployrollback.engine.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.AttemptInProgress;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.HistoryStore;
import io.jenkins.plugins.deployrollback.engine.history.ReleaseConflictException;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.remote.HistoryMessages.HistoryMessage;
import io.jenkins.plugins.deployrollback.engine.remote.HistoryMessages.Registered;
import io.jenkins.plugins.deployrollback.engine.support.Json;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/** The far side of a {@link HistoryWire}: reads each call's JSON, asks the real store, writes the answer. */
final class HistoryWireServer implements HistoryWire {
    private static final ObjectMapper JSON = Json.mapper();

    private final HistoryStore store;
    private final RecordListener appended;

    HistoryWireServer(HistoryStore store, RecordListener appended) {
        this.store = Objects.requireNonNull(store, "history store");
        this.appended = Objects.requireNonNull(appended, "record listener");
    }

    @Override
    public void begin(String attemptJson) throws IOException {
        store.begin(JSON.readValue(attemptJson, AttemptInProgress.class));
    }

    @Override
    public void append(String recordJson) throws IOException {
        DeploymentRecord record = JSON.readValue(recordJson, DeploymentRecord.class);
        store.append(record);
        try {
            appended.appended(record);
        } catch (IOException e) {
            throw new IOException(
                    "Record " + record.id() + " of " + record.environment()
                            + " is stored, but noting it afterwards failed: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public String read(String environment) throws IOException {
        return JSON.writeValueAsString(HistoryMessage.of(store.read(EnvironmentName.of(environment))));
    }

    @Override
    public String register(String releaseJson) throws IOException {
        Release release = JSON.readValue(releaseJson, Release.class);
        try {
            return JSON.writeValueAsString(new Registered(store.register(release), null));
        } catch (ReleaseConflictException e) {
            return JSON.writeValueAsString(new Registered(null, e.getMessage()));
        }
    }

    @Override
    public String release(String releaseId) throws IOException {
        Optional<Release> release = store.release(ReleaseId.of(releaseId));
        return release.isPresent() ? JSON.writeValueAsString(release.get()) : null;
    }
}
