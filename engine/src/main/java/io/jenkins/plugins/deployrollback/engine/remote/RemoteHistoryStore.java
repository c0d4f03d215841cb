package io.jenkins.plugins.deployrollback.engine.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.AttemptInProgress;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.History;
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

/**
 * A {@link HistoryStore} kept on the other end of a {@link HistoryWire} (Jenkins: the controller,
 * while the engine runs on an agent). It behaves as the store it is served from: the same records,
 * problems and interrupted attempt come back, a store's {@link IOException} reaches the caller with
 * its message, and a {@link ReleaseConflictException} arrives as one.
 */
public final class RemoteHistoryStore implements HistoryStore {
    private static final ObjectMapper JSON = Json.mapper();

    private final HistoryWire wire;

    public RemoteHistoryStore(HistoryWire wire) {
        this.wire = Objects.requireNonNull(wire, "history wire");
    }

    @Override
    public void begin(AttemptInProgress attempt) throws IOException {
        wire.begin(JSON.writeValueAsString(attempt));
    }

    @Override
    public void append(DeploymentRecord record) throws IOException {
        wire.append(JSON.writeValueAsString(record));
    }

    @Override
    public History read(EnvironmentName environment) throws IOException {
        String answer = wire.read(environment.value());
        if (answer == null) {
            throw new IOException("The history of " + environment + " came back empty from the far side: it must"
                    + " answer every read, with an empty history when there are no records");
        }
        return JSON.readValue(answer, HistoryMessage.class).toHistory();
    }

    @Override
    public Release register(Release release) throws IOException {
        String text = wire.register(JSON.writeValueAsString(release));
        Registered answer = text == null ? null : JSON.readValue(text, Registered.class);
        if (answer != null && answer.conflict() != null) {
            throw new ReleaseConflictException(answer.conflict());
        }
        if (answer == null || answer.recorded() == null) {
            throw new IOException("Registering release " + release.id() + " came back without the recorded release"
                    + " from the far side: it must answer with the release or the conflict");
        }
        return answer.recorded();
    }

    @Override
    public Optional<Release> release(ReleaseId id) throws IOException {
        String answer = wire.release(id.value());
        return answer == null ? Optional.empty() : Optional.of(JSON.readValue(answer, Release.class));
    }
}
