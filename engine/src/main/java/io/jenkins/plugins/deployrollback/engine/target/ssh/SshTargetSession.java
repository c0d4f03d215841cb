package io.jenkins.plugins.deployrollback.engine.target.ssh;

import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookMode;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.target.LedgerEntry;
import io.jenkins.plugins.deployrollback.engine.target.OperationContext;
import io.jenkins.plugins.deployrollback.engine.target.SharedPath;
import io.jenkins.plugins.deployrollback.engine.target.TargetLock;
import io.jenkins.plugins.deployrollback.engine.target.TargetSession;
import io.jenkins.plugins.deployrollback.engine.target.TargetState;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** One operation's work on an {@link SshTarget}, over one SSH connection. (Being written.) */
final class SshTargetSession implements TargetSession {
    private final SshTarget target;
    private final OperationContext context;

    SshTargetSession(SshTarget target, OperationContext context) {
        this.target = target;
        this.context = context;
    }

    @Override
    public String target() {
        return target.name();
    }

    @Override
    public TargetState inspect() throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public TargetLock lock(String purpose, Duration ttl) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public boolean stage(Release release, ArtifactSupplier source, List<SharedPath> shared) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void switchTo(ReleaseId release) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public HookRun runHook(
            Hook hook, HookMode mode, ReleaseId release, Map<String, String> variables, Consumer<String> output)
            throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void archiveFailed(ReleaseId release, int keepFailed) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void remove(ReleaseId release) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<LedgerEntry> ledger() throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void close() throws IOException {}
}
