package io.jenkins.plugins.deployrollback.run;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.AbortException;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.deployrollback.config.EnvironmentSpec;
import io.jenkins.plugins.deployrollback.config.SshKey;
import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.flow.DeployRequest;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentEngine;
import io.jenkins.plugins.deployrollback.engine.flow.ReturnRequest;
import io.jenkins.plugins.deployrollback.engine.history.HistoryStore;
import io.jenkins.plugins.deployrollback.engine.plan.ReleaseSelector;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactSource;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseContent;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseReader;
import io.jenkins.plugins.deployrollback.engine.remote.ApprovalWire;
import io.jenkins.plugins.deployrollback.engine.remote.ArtifactWire;
import io.jenkins.plugins.deployrollback.engine.remote.HistoryWire;
import io.jenkins.plugins.deployrollback.engine.remote.PipelineResults;
import io.jenkins.plugins.deployrollback.engine.remote.RemoteApprover;
import io.jenkins.plugins.deployrollback.engine.remote.RemoteArtifactStore;
import io.jenkins.plugins.deployrollback.engine.remote.RemoteHistoryStore;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.Set;
import jenkins.MasterToSlaveFileCallable;

/**
 * The engine run on the machine holding the workspace (an agent, or the controller for a button):
 * the SSH work happens there, while history, kept artifacts and approvals are answered by the
 * controller through the wires. Returns the step's result as plain values. Engine failures come back
 * as an {@link AbortException} with the engine's message (which names no secret), so the build log
 * says what went wrong without a stack trace and no engine type crosses the channel.
 */
@SuppressFBWarnings(
        value = "SE_BAD_FIELD",
        justification = "The wires are remoting proxies exported by the controller when this call crosses to an"
                + " agent, and are never serialized when it runs on the controller")
final class EngineCall extends MasterToSlaveFileCallable<LinkedHashMap<String, Object>> {
    private static final long serialVersionUID = 1L;

    private final EnvironmentSpec spec;
    private final SshKey key;
    private final OperationRequest request;
    private final HistoryWire history;
    private final ArtifactWire artifacts;
    private final ApprovalWire approvals;
    private final TaskListener listener;

    EngineCall(
            EnvironmentSpec spec,
            SshKey key,
            OperationRequest request,
            HistoryWire history,
            ArtifactWire artifacts,
            ApprovalWire approvals,
            TaskListener listener) {
        this.spec = spec;
        this.key = key;
        this.request = request;
        this.history = history;
        this.artifacts = artifacts;
        this.approvals = approvals;
        this.listener = listener;
    }

    @Override
    public LinkedHashMap<String, Object> invoke(File workspace, VirtualChannel channel)
            throws IOException, InterruptedException {
        try {
            return new LinkedHashMap<>(run(workspace.toPath()));
        } catch (IOException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException(String.valueOf(e.getMessage()));
            }
            throw new AbortException(message(e));
        }
    }

    private java.util.Map<String, Object> run(Path workspace) throws IOException {
        Environment environment = spec.toEngine(key, workspace, Connections.pool());
        HistoryStore store = new RemoteHistoryStore(history);
        DeploymentEngine engine = new DeploymentEngine(
                        store,
                        new RemoteArtifactStore(artifacts),
                        new LogProgress(listener.getLogger()),
                        new RemoteApprover(approvals),
                        Clock.systemUTC())
                .withWorkingFolder(workspace);
        switch (request.kind) {
            case DEPLOY:
                ArtifactSource source =
                        ArtifactSource.of(workspace.resolve(request.artifacts).normalize());
                Release release = release(store, source);
                return PipelineResults.of(
                        engine.deploy(environment, new DeployRequest(release, source, request.actor, request.reason)));
            case ROLLBACK:
                return PipelineResults.of(engine.rollback(environment, returnRequest()));
            case ROLL_FORWARD:
                return PipelineResults.of(engine.rollForward(environment, returnRequest()));
            case VERIFY:
                return PipelineResults.of(
                        request.rollbackOnFail
                                ? engine.verifyOrRollBack(environment, request.actor)
                                : engine.verify(environment, request.actor));
            default:
                throw new IllegalStateException("Unknown operation " + request.kind);
        }
    }

    /**
     * The release to deploy. One recorded already with the same content is deployed as recorded (so a
     * build that deploys a release an earlier build made does not claim it); different content under a
     * recorded id is refused by the engine.
     */
    private Release release(HistoryStore store, ArtifactSource source) throws IOException {
        ReleaseContent content = ReleaseReader.read(source);
        Release made = new Release(
                ReleaseId.of(request.release),
                request.version,
                request.sourceBuild,
                Set.copyOf(request.facts),
                content);
        Optional<Release> recorded = store.release(made.id());
        if (recorded.isPresent()
                && recorded.get().content().digest().equals(content.digest())
                && recorded.get().facts().equals(made.facts())) {
            return recorded.get();
        }
        return made;
    }

    private ReturnRequest returnRequest() {
        ReleaseSelector target = request.toRelease != null
                ? new ReleaseSelector.ById(ReleaseId.of(request.toRelease))
                : request.toBuild != null ? new ReleaseSelector.ByBuild(request.toBuild) : ReleaseSelector.byDefault();
        return new ReturnRequest(target, request.force, request.actor, request.reason);
    }

    private static String message(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
