package io.jenkins.plugins.deployrollback.run;

import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.queue.Tasks;
import hudson.remoting.VirtualChannel;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.slaves.WorkspaceList;
import hudson.util.StreamTaskListener;
import io.jenkins.plugins.deployrollback.config.EnvironmentSpec;
import io.jenkins.plugins.deployrollback.config.SshKey;
import io.jenkins.plugins.deployrollback.engine.environment.Environment;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentEngine;
import io.jenkins.plugins.deployrollback.engine.flow.ReturnRequest;
import io.jenkins.plugins.deployrollback.engine.history.FileHistoryStore;
import io.jenkins.plugins.deployrollback.engine.history.RecordOrigins;
import io.jenkins.plugins.deployrollback.engine.plan.DeploymentPlan;
import io.jenkins.plugins.deployrollback.engine.plan.ReleaseSelector;
import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactSource;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactStore;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.remote.ApprovalWire;
import io.jenkins.plugins.deployrollback.engine.remote.ArtifactWire;
import io.jenkins.plugins.deployrollback.engine.remote.HistoryWire;
import io.jenkins.plugins.deployrollback.ui.DeploymentAction;
import io.jenkins.plugins.deployrollback.ui.GateRejection;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jenkins.model.Jenkins;
import jenkins.util.BuildListenerAdapter;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.springframework.security.core.Authentication;

/**
 * The engine, run for Jenkins: for a step (where the workspace is, as the build) and for the "Roll
 * back to this build" button (on the controller, as the job, without waiting for an executor). Either
 * way the job's history is the one store, each record is noted with the build or button press that
 * made it, and the build keeps what happened in its {@link DeploymentAction}.
 */
public final class Operations {
    /** The archive path prefix of a release's artifacts in the build that deployed it. */
    public static final String ARCHIVE_FOLDER = ArchivedArtifacts.FOLDER;

    private static final ExecutorService BUTTON_ROLLBACKS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "deploy-rollback: Roll back to this build");
        thread.setDaemon(true);
        return thread;
    });

    private Operations() {}

    /**
     * Runs {@code request} for a step of {@code build}, where {@code workspace} is, asking its
     * approvals with {@code approver}. Returns the step's result (plain values). Throws {@link
     * FlowInterruptedException} (ABORTED) when a person rejected an approval, after the engine has
     * acted on the rejection.
     */
    public static Map<String, Object> runStep(
            Run<?, ?> build,
            FilePath workspace,
            Launcher launcher,
            TaskListener listener,
            EnvironmentSpec spec,
            OperationRequest request,
            BuildApprover approver)
            throws IOException, InterruptedException {
        long started = System.currentTimeMillis();
        SshKey key = SshKeys.forBuild(spec, build);
        JobState state = JobState.of(build.getParent());
        FileHistoryStore history = state.history();
        RecordOrigins origins = state.origins();
        String origin = "build:" + build.getNumber();
        if (request.kind() == OperationRequest.Kind.DEPLOY) {
            archive(build, workspace, launcher, listener, request);
        }
        FilePath scratch = scratch(workspace);
        VirtualChannel channel = workspace.getChannel();
        EngineCall call = new EngineCall(
                spec,
                key,
                request,
                export(channel, HistoryWire.class, HistoryWire.serving(history, r -> origins.note(r.id(), origin))),
                export(channel, ArtifactWire.class, new ArchivedArtifacts(history, scratch)),
                export(channel, ApprovalWire.class, ApprovalWire.serving(approver)),
                listener);
        LinkedHashMap<String, Object> result = workspace.act(call);
        DeploymentAction.record(
                build,
                new DeploymentAction.Entry(
                        spec, new LinkedHashMap<>(result), request.actor, started, System.currentTimeMillis()));
        // A rejection that decided (the gate failed) ends the build ABORTED; one of a dry-run check did not decide.
        BuildApprover.Rejection rejection = approver.firstRejection();
        boolean decided = !Boolean.TRUE.equals(result.get("succeeded")) && !Boolean.TRUE.equals(result.get("passed"));
        if (rejection != null && decided) {
            throw new FlowInterruptedException(
                    Result.ABORTED, new GateRejection(rejection.by(), rejection.as(), rejection.gate()));
        }
        return result;
    }

    /**
     * The definition of {@code environment} recorded by the newest build of {@code job} that ran a
     * step on it, for steps that name the environment alone ({@code rollback(environment: 'prod')}).
     * Reads the job's history and origins, then that one build.
     */
    public static EnvironmentSpec recordedSpec(Job<?, ?> job, String environment) throws IOException {
        JobState state = JobState.of(job);
        io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName name;
        try {
            name = io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName.of(environment);
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
        Map<String, String> origins = state.origins().read();
        List<io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord> records =
                state.history().read(name).records();
        for (int i = records.size() - 1; i >= 0; i--) {
            String origin = origins.get(records.get(i).id());
            if (origin == null || !origin.startsWith("build:")) {
                continue;
            }
            Run<?, ?> build = job.getBuildByNumber(Integer.parseInt(origin.substring("build:".length())));
            DeploymentAction action = build == null ? null : build.getAction(DeploymentAction.class);
            if (action == null) {
                continue;
            }
            for (DeploymentAction.Entry entry : action.getEntries()) {
                if (entry.getEnvironment().equals(environment)) {
                    return entry.getSpec();
                }
            }
        }
        throw new AbortException("This job has not deployed to " + environment + " yet, so its hosts are unknown: give"
                + " hosts, path and credentialsId (or path alone for a folder on the agent)");
    }

    /** What returning {@code spec}'s environment to {@code release} would do now. Changes nothing. */
    public static DeploymentPlan planReturn(Job<?, ?> job, EnvironmentSpec spec, String release)
            throws IOException, InterruptedException {
        JobState state = JobState.of(job);
        Environment environment = environment(spec, SshKeys.forJob(spec, job));
        DeploymentEngine engine = new DeploymentEngine(
                state.history(), new KeptArtifacts(state.history()), ProgressListener.SILENT, Clock.systemUTC());
        return engine.planRollback(environment, returnRequest(release, "plan", null));
    }

    /**
     * Starts returning {@code spec}'s environment to {@code release} on the controller, as the job,
     * for {@code userId} who pressed "Roll back to this build" on {@code build}. Returns the id of its
     * log ({@link JobState#rollbackLog}); the rollback runs on.
     */
    public static String startRollbackToBuild(Run<?, ?> build, EnvironmentSpec spec, String release, String userId)
            throws IOException {
        String refusal = buttonRefusal(spec);
        if (refusal != null) {
            throw new AbortException(refusal);
        }
        Job<?, ?> job = build.getParent();
        JobState state = JobState.of(job);
        String id = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss-SSS")
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now())
                + "-" + spec.getEnvironment();
        Path log = state.rollbackLog(id);
        Path folder = log.getParent();
        if (folder != null) {
            Files.createDirectories(folder);
        }
        Files.createFile(log);
        String actor = userId + " (Roll back to this build: " + job.getFullName() + " #" + build.getNumber() + ")";
        String reason = "Roll back to build #" + build.getNumber() + " asked by " + userId;
        Authentication as = authenticationOf(job);
        BUTTON_ROLLBACKS.submit(() -> {
            try (ACLContext ignored = ACL.as2(as);
                    StreamTaskListener listener =
                            new StreamTaskListener(log.toFile(), java.nio.charset.StandardCharsets.UTF_8)) {
                try {
                    listener.getLogger()
                            .println("Rolling back " + spec.getEnvironment() + " to " + release
                                    + " (deployed by build #" + build.getNumber() + "), asked by " + userId);
                    runOnController(build, state, spec, release, actor, reason, "button:" + id, listener);
                    listener.getLogger().println("Finished.");
                } catch (IOException | RuntimeException e) {
                    listener.getLogger().println("FAILED: " + e.getMessage());
                } catch (InterruptedException e) {
                    listener.getLogger().println("Interrupted: " + e.getMessage());
                    Thread.currentThread().interrupt();
                }
            } catch (IOException e) {
                // The log file itself failed; the history still has the record.
            }
        });
        return id;
    }

    /**
     * Why the "Roll back to this build" button may not roll {@code spec}'s environment back, or null
     * when it may. The button runs the engine on the controller, so it refuses an environment that
     * would run a Jenkinsfile's command there (a command check where the engine runs, verified after
     * the rollback), and folders on an agent, which the controller cannot reach.
     */
    public static String buttonRefusal(EnvironmentSpec spec) {
        if (!spec.isRemote()) {
            return "Environment " + spec.getEnvironment() + " deploys to folders on the agent that ran the build;"
                    + " the controller cannot reach them. Run the rollback step in a Pipeline instead";
        }
        List<String> commands = spec.commandsWhereTheEngineRuns();
        if (!commands.isEmpty()) {
            return "Environment " + spec.getEnvironment() + " verifies after a rollback with command checks that"
                    + " run where the engine runs (" + String.join(", ", commands) + "); from this button that would"
                    + " be the Jenkins controller, where no Jenkinsfile's command runs. Roll back with the rollback"
                    + " step in a Pipeline (it runs on an agent), or give those checks where: 'targets'";
        }
        return null;
    }

    /** The authentication {@code job}'s builds run as: what its buttons act as, never the person pressing them. */
    public static Authentication authenticationOf(Job<?, ?> job) {
        return job instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : Jenkins.ANONYMOUS2;
    }

    private static void runOnController(
            Run<?, ?> build,
            JobState state,
            EnvironmentSpec spec,
            String release,
            String actor,
            String reason,
            String origin,
            TaskListener listener)
            throws IOException, InterruptedException {
        Job<?, ?> job = build.getParent();
        SshKey key = SshKeys.forButton(spec, build);
        FileHistoryStore history = state.history();
        RecordOrigins origins = state.origins();
        FilePath scratch = new FilePath(new File(job.getRootDir(), "deploy-rollback/scratch"));
        scratch.mkdirs();
        OperationRequest request =
                OperationRequest.returnTo(OperationRequest.Kind.ROLLBACK, actor, release, null, false, reason);
        EngineCall call = new EngineCall(
                spec,
                key,
                request,
                HistoryWire.serving(history, r -> origins.note(r.id(), origin)),
                new ArchivedArtifacts(history, scratch),
                ApprovalWire.serving(io.jenkins.plugins.deployrollback.engine.gate.Approver.NONE),
                listener);
        Map<String, Object> result = scratch.act(call);
        listener.getLogger().println("Outcome: " + result.get("outcome") + ", live: " + result.get("live"));
    }

    private static Environment environment(EnvironmentSpec spec, SshKey key) throws AbortException {
        String refusal = buttonRefusal(spec);
        if (refusal != null) {
            throw new AbortException(refusal);
        }
        try {
            return spec.toEngine(key, Path.of("."), Connections.pool());
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }

    private static ReturnRequest returnRequest(String release, String actor, String reason) {
        return new ReturnRequest(new ReleaseSelector.ById(ReleaseId.of(release)), false, actor, reason);
    }

    /**
     * Archives the release's artifacts into the build under {@code deploy-rollback/<release>/}, so it
     * can be staged again once its folder is pruned from the targets.
     */
    private static void archive(
            Run<?, ?> build, FilePath workspace, Launcher launcher, TaskListener listener, OperationRequest request)
            throws IOException, InterruptedException {
        FilePath artifact = workspace.child(request.artifacts());
        if (!artifact.exists()) {
            throw new AbortException("Artifact " + request.artifacts() + " does not exist in the workspace: give a"
                    + " folder or a .tar.gz, .tgz or .zip archive, relative to the workspace");
        }
        String prefix = ARCHIVE_FOLDER + "/" + request.release() + "/";
        Map<String, String> files = new HashMap<>();
        if (artifact.isDirectory()) {
            String base = artifact.getRemote();
            for (FilePath file : artifact.list("**/*", null, false)) {
                String relative = file.getRemote().substring(base.length() + 1).replace('\\', '/');
                String inWorkspace = request.artifacts().replaceAll("/+$", "") + "/" + relative;
                files.put(prefix + relative, inWorkspace);
            }
        } else {
            files.put(prefix + artifact.getName(), request.artifacts());
        }
        build.pickArtifactManager().archive(workspace, launcher, BuildListenerAdapter.wrap(listener), files);
    }

    private static FilePath scratch(FilePath workspace) throws IOException, InterruptedException {
        FilePath temp = WorkspaceList.tempDir(workspace);
        FilePath scratch = (temp == null ? workspace.child(".deploy-rollback") : temp).child("deploy-rollback");
        scratch.mkdirs();
        return scratch;
    }

    private static <T> T export(VirtualChannel channel, Class<T> type, T instance) {
        return channel == null ? instance : channel.export(type, instance);
    }

    /** For plans: says whether a release's artifacts are archived, without copying them anywhere. */
    private static final class KeptArtifacts implements ArtifactStore {
        private final FileHistoryStore history;

        KeptArtifacts(FileHistoryStore history) {
            this.history = history;
        }

        @Override
        public void keep(Release release, ArtifactSource source) {}

        @Override
        public Optional<ArtifactSource> find(ReleaseId release) throws IOException {
            Optional<Release> recorded = history.release(release);
            if (recorded.isEmpty() || recorded.get().sourceBuild() == null) {
                return Optional.empty();
            }
            Run<?, ?> build = Run.fromExternalizableId(recorded.get().sourceBuild());
            if (build == null
                    || !build.getArtifactManager()
                            .root()
                            .child(ARCHIVE_FOLDER)
                            .child(release.value())
                            .isDirectory()) {
                return Optional.empty();
            }
            // The planner only asks whether they are kept; nothing reads this path.
            return Optional.of(new ArtifactSource.Folder(Path.of(ARCHIVE_FOLDER, release.value())));
        }
    }
}
