package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.gate.GateContext;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookMode;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.support.Secrets;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.Target;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLock;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The targets as a verify (outside any deployment) reaches them for command checks: on the first
 * command every target is opened and locked, so that no deployment changes the release under the
 * check; {@link #close()} unlocks them. A verify without command checks on targets touches nothing.
 */
final class VerifyTargets implements GateContext.TargetCommands, AutoCloseable {
    private final Environment environment;
    private final String actor;
    private final Clock clock;
    private final ProgressListener progress;
    private final Map<String, String> variables;
    private final Secrets secrets;
    private final List<TargetSession> sessions = new ArrayList<>();
    private final List<TargetLock> locks = new ArrayList<>();
    private boolean opened;

    VerifyTargets(
            Environment environment,
            String actor,
            Clock clock,
            ProgressListener progress,
            Map<String, String> variables,
            Secrets secrets) {
        this.environment = environment;
        this.secrets = secrets;
        this.actor = actor;
        this.clock = clock;
        this.progress = progress;
        this.variables = variables;
    }

    @Override
    public List<HookRun> run(Hook command) throws IOException {
        open();
        List<HookRun> runs = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            TargetSession session = sessions.get(i);
            // Renewed before each run: gates and approvals may outlast the lock's lifetime, and a lock
            // taken over meanwhile must stop the check, not let it run under someone else's operation.
            locks.get(i).refresh();
            ReleaseId live = session.inspect().current();
            if (live == null) {
                throw new IOException(
                        session.target() + " serves no release, so check " + command.name() + " has nowhere to run");
            }
            Map<String, String> env = new HashMap<>(variables);
            env.put("DEPLOY_RELEASE", live.value());
            runs.add(session.runHook(
                    command,
                    HookMode.DEPLOY,
                    live,
                    env,
                    line -> progress.output(command.name() + "@" + session.target(), line)));
        }
        return runs;
    }

    /** Opens and locks every target, or none: a check must never run on only some of them. */
    private void open() throws IOException {
        if (opened) {
            return;
        }
        try {
            for (Target target : environment.targets()) {
                TargetSession session = target.open(
                        new OperationContext(environment.name(), Operation.DEPLOY, actor, clock, progress, secrets));
                sessions.add(session);
                locks.add(session.lock("verify " + environment.name(), environment.lockTimeout()));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        opened = true;
    }

    @Override
    public void close() {
        for (TargetLock lock : locks) {
            try {
                lock.close();
            } catch (IOException e) {
                progress.warn("Could not release the lock taken to verify " + environment.name() + " ("
                        + e.getMessage() + "): it expires after the lock timeout ("
                        + io.jenkins.plugins.deployrollback.engine.support.Text.duration(environment.lockTimeout())
                        + "), and the next operation from this machine takes it over at once");
            }
        }
        for (TargetSession session : sessions) {
            try {
                session.close();
            } catch (IOException e) {
                progress.warn("Could not close the session to " + session.target() + ": " + e.getMessage());
            }
        }
        locks.clear();
        sessions.clear();
    }
}
