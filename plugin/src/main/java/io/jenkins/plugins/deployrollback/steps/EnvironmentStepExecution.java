package io.jenkins.plugins.deployrollback.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Computer;
import hudson.model.Node;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.ChannelClosedException;
import hudson.remoting.RequestAbortedException;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.deployrollback.config.EnvironmentSpec;
import io.jenkins.plugins.deployrollback.run.BuildApprover;
import io.jenkins.plugins.deployrollback.run.OperationRequest;
import io.jenkins.plugins.deployrollback.run.Operations;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.springframework.security.core.Authentication;

/**
 * Runs one step off the Pipeline's thread (SSH and gates take time), returning the engine's result
 * as plain values. When {@code failBuild} is set and the operation did not succeed, the step fails
 * after the result is recorded on the build, with the engine's cause as its message.
 *
 * <p>A restart of Jenkins does not end the step. The step is kept in the Pipeline's state; a
 * shutdown stops its run (the engine stops as if interrupted: nothing more started, not recorded,
 * locks released) without failing it, and after the restart the step runs again, which completes
 * the interrupted operation (see "Killed at any moment" in the deploy flow). A question it asked
 * is kept with the build, so the approver still sees it during and after the restart, and the run
 * after the restart finds it again with its deadline and any answer given meanwhile. A safe restart
 * waits for a step that changes hosts, not for one that waits for an approval.
 */
abstract class EnvironmentStepExecution extends StepExecution {
    private static final long serialVersionUID = 2L;

    private static final ExecutorService THREADS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "deploy-rollback step");
        thread.setDaemon(true);
        return thread;
    });

    /** The steps running in this Jenkins, for a shutdown to stop. */
    private static final Set<EnvironmentStepExecution> RUNNING = ConcurrentHashMap.newKeySet();

    /** Kept in the Pipeline's state, so the step runs again after a restart. */
    private final EnvironmentStep step;

    /** Names this step's questions on the build page, so its run after a restart finds them. */
    private final String key = UUID.randomUUID().toString();

    private transient volatile Future<?> task;
    /** Counted down when the run's thread is done with the step. */
    private transient volatile CountDownLatch ended;

    private transient volatile Throwable stopCause;
    private transient volatile boolean stoppedForShutdown;
    private transient volatile BuildApprover approver;

    EnvironmentStepExecution(StepContext context, EnvironmentStep step) {
        super(context);
        this.step = step;
    }

    /** What the engine is asked to do, on behalf of {@code actor}. */
    abstract OperationRequest request(Run<?, ?> build, String actor) throws Exception;

    @Override
    public final boolean start() {
        launch(Jenkins.getAuthentication2(), false);
        return false;
    }

    /** After a restart of Jenkins: the step runs again, which completes what the restart interrupted. */
    @Override
    public void onResume() {
        try {
            Run<?, ?> build = getContext().get(Run.class);
            launch(Operations.authenticationOf(build.getParent()), true);
        } catch (Exception e) {
            getContext().onFailure(e);
        }
    }

    private void launch(Authentication as, boolean resumed) {
        CountDownLatch done = new CountDownLatch(1);
        ended = done;
        RUNNING.add(this);
        task = THREADS.submit(() -> {
            try {
                Map<String, Object> result;
                try (ACLContext ignored = ACL.as2(as)) {
                    result = run(resumed);
                }
                getContext().onSuccess(result);
            } catch (Throwable x) {
                if (stoppedForShutdown) {
                    // Not a failure: the step runs again once Jenkins is back.
                    return;
                }
                if (stopCause == null) {
                    getContext().onFailure(x);
                } else {
                    stopCause.addSuppressed(x);
                }
            } finally {
                RUNNING.remove(this);
                done.countDown();
            }
        });
    }

    @Override
    public void stop(@NonNull Throwable cause) throws Exception {
        Future<?> running = task;
        if (running != null) {
            stopCause = cause;
            running.cancel(true);
        }
        super.stop(cause);
    }

    /** A safe restart waits for a step that acts on hosts, not for one waiting for an approval. */
    @Override
    public boolean blocksRestart() {
        Future<?> running = task;
        BuildApprover asking = approver;
        return running != null && !running.isDone() && (asking == null || !asking.isWaiting());
    }

    @NonNull
    @Override
    public String getStatus() {
        Future<?> running = task;
        BuildApprover asking = approver;
        if (running == null || running.isDone()) {
            return "not running";
        }
        return asking != null && asking.isWaiting()
                ? "waiting for an approval on the build page"
                : "running " + step.getClass().getSimpleName() + " of " + step.getEnvironment();
    }

    /**
     * Jenkins is shutting down: stops every running step's engine (it releases its locks and
     * records nothing) without failing the step, and waits up to {@code seconds} for them to stop.
     * Each runs again after the restart.
     */
    static void stopAllForShutdown(long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (EnvironmentStepExecution execution : RUNNING) {
            execution.stoppedForShutdown = true;
            Future<?> running = execution.task;
            if (running != null) {
                running.cancel(true);
            }
        }
        for (EnvironmentStepExecution execution : RUNNING) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            CountDownLatch done = execution.ended;
            try {
                if (done != null && !done.await(left, TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Runs the step, and runs it again when the agent's connection is lost while it runs (the
     * engine there stops as if interrupted) once the agent is back, for up to {@link
     * StepsShutdown#AGENT_WAIT_MINUTES}.
     */
    private Map<String, Object> run(boolean resumed) throws Exception {
        if (step == null) {
            throw new AbortException("This step was started by an earlier version of Deploy Rollback, which could not"
                    + " continue after a restart; run the build again: it completes the interrupted operation");
        }
        StepContext context = getContext();
        Run<?, ?> build = context.get(Run.class);
        TaskListener listener = context.get(TaskListener.class);
        FilePath workspace = context.get(FilePath.class);
        Launcher launcher = context.get(Launcher.class);
        if (resumed) {
            listener.getLogger()
                    .println("[deploy-rollback] Jenkins restarted while this step ran on " + step.getEnvironment()
                            + ": running it again, which completes what the restart interrupted");
        }
        while (true) {
            try {
                return run(build, listener, workspace, launcher);
            } catch (IOException | RuntimeException e) {
                Computer computer = context.get(Computer.class);
                Node node = computer == null ? null : computer.getNode();
                if (!lostTheAgent(e) || node == null || stopCause != null || stoppedForShutdown) {
                    throw e;
                }
                long minutes = StepsShutdown.AGENT_WAIT_MINUTES;
                listener.getLogger()
                        .println("[deploy-rollback] Lost the connection to " + node.getDisplayName() + " while this"
                                + " step ran on " + step.getEnvironment() + " (the engine there stops as if"
                                + " interrupted): running it again once the agent is back, waiting up to " + minutes
                                + " min");
                awaitOnline(computer, node, minutes);
                workspace = node.createPath(workspace.getRemote());
                launcher = node.createLauncher(listener);
                if (workspace == null) {
                    throw new AbortException(node.getDisplayName() + " came back without a file system to run on");
                }
                listener.getLogger()
                        .println("[deploy-rollback] " + node.getDisplayName() + " is back: running the step again,"
                                + " which completes what was interrupted");
            }
        }
    }

    /** True when {@code failure} comes from the agent's channel closing while the step ran there. */
    static boolean lostTheAgent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ChannelClosedException || cause instanceof RequestAbortedException) {
                return true;
            }
        }
        return false;
    }

    private static void awaitOnline(Computer computer, Node node, long minutes)
            throws InterruptedException, AbortException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        while (!computer.isOnline()) {
            if (System.nanoTime() > deadline) {
                throw new AbortException(node.getDisplayName() + " did not come back within " + minutes + " min. The"
                        + " hosts serve a complete release; run the build again to complete the operation");
            }
            // Polling the agent's state; a shutdown or an abort interrupts it.
            Thread.sleep(1000);
        }
    }

    private Map<String, Object> run(Run<?, ?> build, TaskListener listener, FilePath workspace, Launcher launcher)
            throws Exception {
        EnvironmentSpec spec;
        if (step.definesEnvironment()) {
            spec = step.spec();
        } else {
            spec = step.spec(Operations.recordedSpec(build.getParent(), step.getEnvironment()));
            listener.getLogger()
                    .println("[deploy-rollback] " + step.getEnvironment() + ": hosts and path as this job's last deploy"
                            + " there recorded them"
                            + (step.givenOptions().isEmpty()
                                    ? ""
                                    : ", with this step's " + String.join(", ", step.givenOptions())));
        }
        String actor = build.getParent().getFullName() + " #" + build.getNumber();
        BuildApprover asking = new BuildApprover(build, listener, key);
        approver = asking;
        Map<String, Object> result;
        try {
            result = Operations.runStep(build, workspace, launcher, listener, spec, request(build, actor), asking);
        } finally {
            if (!stoppedForShutdown) {
                asking.forgetUnasked();
            }
        }
        // An operation's result says "succeeded", a verify's says "passed"; neither true is a failure.
        boolean failed = !Boolean.TRUE.equals(result.get("succeeded")) && !Boolean.TRUE.equals(result.get("passed"));
        if (step.isFailBuild() && failed) {
            Object cause = result.get("cause");
            Object what = result.containsKey("operation") ? result.get("operation") : "verify";
            Object ended = result.containsKey("outcome") ? result.get("outcome") : result.get("verdict");
            throw new AbortException(
                    what + " of " + step.getEnvironment() + " ended " + ended + (cause == null ? "" : ": " + cause));
        }
        return result;
    }
}
