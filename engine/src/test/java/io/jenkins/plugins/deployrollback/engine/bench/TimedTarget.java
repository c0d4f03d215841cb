package io.jenkins.plugins.deployrollback.engine.bench;

import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookMode;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.targets.LedgerEntry;
import io.jenkins.plugins.deployrollback.engine.targets.LockInfo;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.ReleaseIntegrity;
import io.jenkins.plugins.deployrollback.engine.targets.SharedPath;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLock;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A target that passes every call to the real one and notes how long it took in {@link CallTimes}: the
 * benchmark's view of where an operation's time goes on the targets. It adds two clock reads per call
 * and no I/O.
 */
final class TimedTarget implements Target {
    /** The first call of an operation opens the SSH connection (TCP, key exchange, login, control shell). */
    static final String LOCK = "lock (first call: connects and logs in)";

    static final String OPEN = "open";
    static final String INSPECT = "inspect";
    static final String RENEW = "renew lock";
    static final String STAGE = "stage";
    static final String POINT_SLOT = "point slot (blue/green)";
    static final String SWITCH = "switch";
    static final String REMOVE = "remove (retention)";
    static final String UNLOCK = "unlock";
    static final String CLOSE = "close";
    static final List<String> ORDER =
            List.of(OPEN, LOCK, INSPECT, RENEW, STAGE, POINT_SLOT, SWITCH, REMOVE, UNLOCK, CLOSE);

    private final Target target;
    private final CallTimes times;

    TimedTarget(Target target, CallTimes times) {
        this.target = target;
        this.times = times;
    }

    @Override
    public String name() {
        return target.name();
    }

    @Override
    public TargetSession open(OperationContext context) throws IOException {
        return new Session(times.time(OPEN, () -> target.open(context)));
    }

    private final class Session implements TargetSession {
        private final TargetSession session;

        Session(TargetSession session) {
            this.session = session;
        }

        @Override
        public String target() {
            return session.target();
        }

        @Override
        public TargetState inspect() throws IOException {
            return times.time(INSPECT, session::inspect);
        }

        @Override
        public TargetLock lock(String purpose, Duration ttl, String forcedBy) throws IOException {
            return new Lock(times.time(LOCK, () -> session.lock(purpose, ttl, forcedBy)));
        }

        @Override
        public boolean stage(Release release, ArtifactSupplier source, List<SharedPath> shared) throws IOException {
            boolean written = times.time(STAGE, () -> session.stage(release, source, shared));
            if (written) {
                times.staged(target());
            }
            return written;
        }

        @Override
        public void pointSlot(String slot, ReleaseId release) throws IOException {
            times.time(POINT_SLOT, () -> {
                session.pointSlot(slot, release);
                return null;
            });
        }

        @Override
        public void switchTo(ReleaseId release) throws IOException {
            times.time(SWITCH, () -> {
                session.switchTo(release);
                return null;
            });
        }

        @Override
        public HookRun runHook(
                Hook hook, HookMode mode, ReleaseId release, Map<String, String> variables, Consumer<String> output)
                throws IOException {
            return times.time("hook " + hook.name(), () -> session.runHook(hook, mode, release, variables, output));
        }

        @Override
        public void archiveFailed(ReleaseId release, int keepFailed) throws IOException {
            times.time("archive", () -> {
                session.archiveFailed(release, keepFailed);
                return null;
            });
        }

        @Override
        public void remove(ReleaseId release) throws IOException {
            times.time(REMOVE, () -> {
                session.remove(release);
                return null;
            });
        }

        @Override
        public ReleaseIntegrity verifyRelease(ReleaseId release) throws IOException {
            return times.time("verifyRelease", () -> session.verifyRelease(release));
        }

        @Override
        public List<LedgerEntry> ledger() throws IOException {
            return times.time("ledger", session::ledger);
        }

        @Override
        public void close() throws IOException {
            times.time(CLOSE, () -> {
                session.close();
                return null;
            });
        }
    }

    private final class Lock implements TargetLock {
        private final TargetLock lock;

        Lock(TargetLock lock) {
            this.lock = lock;
        }

        @Override
        public LockInfo info() {
            return lock.info();
        }

        @Override
        public void refresh() throws IOException {
            times.time(RENEW, () -> {
                lock.refresh();
                return null;
            });
        }

        @Override
        public void close() throws IOException {
            times.time(UNLOCK, () -> {
                lock.close();
                return null;
            });
        }
    }
}
