package io.jenkins.plugins.deployrollback.ui;

import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.AbortException;
import hudson.Extension;
import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.model.Action;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.security.Permission;
import hudson.security.PermissionScope;
import io.jenkins.plugins.deployrollback.config.EnvironmentSpec;
import io.jenkins.plugins.deployrollback.engine.plan.DeploymentPlan;
import io.jenkins.plugins.deployrollback.run.JobState;
import io.jenkins.plugins.deployrollback.run.Operations;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.TransientActionFactory;
import jenkins.util.SystemProperties;
import org.jvnet.localizer.Localizable;
import org.jvnet.localizer.ResourceBundleHolder;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.interceptor.RequirePOST;
import org.springframework.security.core.Authentication;

/**
 * "Roll back to this build" on a build that put a release live which no longer is: a confirmation
 * page per environment showing what the rollback would do, and a POST that starts it on the
 * controller, as the job, recorded with the user who asked. Only environments on SSH hosts qualify;
 * folders on an agent cannot be reached from the controller.
 */
@SuppressWarnings("rawtypes") // on Run, as TransientActionFactory<Run> requires
public final class RollbackToBuildAction implements Action {
    private static final Logger LOGGER = Logger.getLogger(RollbackToBuildAction.class.getName());

    /**
     * May return an environment to a release an earlier build deployed. Implied by Item.BUILD, so
     * whoever may build the job may roll back; an administrator can grant it alone.
     */
    public static final Permission ROLLBACK = new Permission(
            Run.PERMISSIONS,
            "Rollback",
            new Localizable(ResourceBundleHolder.get(RollbackToBuildAction.class), "RollbackPermission.description"),
            Item.BUILD,
            PermissionScope.RUN);

    /**
     * How long the confirmation page waits for the hosts to say what a rollback would do. Not final,
     * so an administrator can change it from the script console, and a test can shorten it.
     */
    @SuppressFBWarnings(value = "MS_SHOULD_BE_FINAL", justification = "Tunable at run time, as Jenkins' own are")
    public static int PLAN_SECONDS =
            SystemProperties.getInteger(RollbackToBuildAction.class.getName() + ".planSeconds", 15);

    /** How many confirmation pages may ask hosts at once; more are told to come back. */
    static final int MAX_PAGES = 4;

    private static final Semaphore PAGES = new Semaphore(MAX_PAGES);

    /** Plans the candidates of a page side by side, each asking its hosts; bounded like the pages. */
    private static final ExecutorService PLANNING = Executors.newFixedThreadPool(MAX_PAGES * 2, runnable -> {
        Thread thread = new Thread(runnable, "deploy-rollback: planning a rollback to a build");
        thread.setDaemon(true);
        return thread;
    });

    private final Run<?, ?> run;
    private final List<Candidate> candidates;

    private RollbackToBuildAction(Run<?, ?> run, List<Candidate> candidates) {
        this.run = run;
        this.candidates = List.copyOf(candidates);
    }

    @SuppressFBWarnings(
            value = "RV_RETURN_VALUE_IGNORED_NO_SIDE_EFFECT",
            justification = "getEnabled registers the permission; its value is not needed")
    @Initializer(after = InitMilestone.PLUGINS_STARTED, before = InitMilestone.EXTENSIONS_AUGMENTED)
    public static void ensurePermissionRegistered() {
        ROLLBACK.getEnabled();
    }

    public Run<?, ?> getOwner() {
        return run;
    }

    @Override
    public String getIconFileName() {
        return run.hasPermission(ROLLBACK) ? "symbol-undo" : null;
    }

    @Override
    public String getDisplayName() {
        return "Roll back to this build";
    }

    @Override
    public String getUrlName() {
        return "rollback-to-build";
    }

    /** The permission the page needs, for the layout's check. */
    public Permission getPermission() {
        return ROLLBACK;
    }

    /** The environments this build's release could be returned to, one per environment. */
    public List<Candidate> getCandidates() {
        return candidates;
    }

    /**
     * What returning each environment to this build's release would do now. Asks the targets for
     * their state (over SSH), so it needs the rollback permission.
     */
    public List<Proposal> getProposals() {
        run.checkPermission(ROLLBACK);
        if (!PAGES.tryAcquire()) {
            List<Proposal> busy = new ArrayList<>();
            for (Candidate candidate : candidates) {
                busy.add(new Proposal(
                        candidate,
                        List.of(),
                        false,
                        "Jenkins is working out " + MAX_PAGES
                                + " other rollback confirmations right now: reload this page in a moment"));
            }
            return busy;
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PLAN_SECONDS);
            // Planning looks up the job's credentials and archived builds as the job does, not as the reader.
            Authentication as = Operations.authenticationOf(run.getParent());
            List<Future<Proposal>> planned = new ArrayList<>();
            for (Candidate candidate : candidates) {
                planned.add(PLANNING.submit(() -> {
                    try (ACLContext ignored = ACL.as2(as)) {
                        return propose(candidate);
                    }
                }));
            }
            List<Proposal> proposals = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                proposals.add(awaitProposal(candidates.get(i), planned.get(i), deadline));
            }
            return proposals;
        } finally {
            PAGES.release();
        }
    }

    private static Proposal awaitProposal(Candidate candidate, Future<Proposal> planned, long deadline) {
        try {
            return planned.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            planned.cancel(true);
            return new Proposal(
                    candidate,
                    List.of(),
                    false,
                    "The hosts of " + candidate.environment
                            + " did not all answer within " + PLAN_SECONDS + " s; the rollback itself may still work,"
                            + " and its log will say which host does not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            planned.cancel(true);
            return new Proposal(candidate, List.of(), false, "Planning was interrupted");
        } catch (ExecutionException e) {
            return new Proposal(candidate, List.of(), false, String.valueOf(e.getCause()));
        }
    }

    private Proposal propose(Candidate candidate) {
        String refusal = Operations.buttonRefusal(candidate.spec);
        if (refusal != null) {
            return new Proposal(candidate, List.of(), true, refusal);
        }
        try {
            DeploymentPlan plan = Operations.planReturn(run.getParent(), candidate.spec, candidate.release);
            return new Proposal(candidate, plan.describe(), plan.refused(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Proposal(candidate, List.of(), false, "Planning was interrupted");
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.FINE, "Planning the return of " + candidate.environment + " failed", e);
            return new Proposal(candidate, List.of(), false, message(e));
        }
    }

    /**
     * Starts returning {@code environment} to this build's release, as the job, for the current user,
     * and sends them to its log. Refused (403) without the rollback permission; nothing starts then.
     */
    @RequirePOST
    public HttpResponse doRollback(@QueryParameter String environment) throws IOException {
        run.checkPermission(ROLLBACK);
        Candidate candidate = null;
        for (Candidate c : candidates) {
            if (c.environment.equals(environment)) {
                candidate = c;
            }
        }
        if (candidate == null) {
            return HttpResponses.errorWithoutStack(
                    409,
                    "Build " + run.getFullDisplayName() + " offers no rollback of " + environment
                            + ": its release is live there already, or it did not deploy there to SSH hosts");
        }
        User user = User.current();
        String id;
        try {
            id = Operations.startRollbackToBuild(
                    run, candidate.spec, candidate.release, user == null ? "anonymous" : user.getId());
        } catch (AbortException e) {
            return HttpResponses.errorWithoutStack(409, e.getMessage());
        }
        return HttpResponses.redirectViaContextPath(
                "/" + run.getParent().getUrl() + "deployments/rollbacks/" + id + "/");
    }

    private static String message(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /**
     * The environments {@code run} shipped a release to over SSH whose live release is now another
     * one: the newest shipped entry per environment. Reads the run's action and what is live on each
     * environment, which {@link JobState#live} keeps until the history changes: listing a build's
     * actions stats one file per environment it shipped to.
     */
    static List<Candidate> candidates(Run<?, ?> run) {
        DeploymentAction action = run.getAction(DeploymentAction.class);
        if (action == null) {
            return List.of();
        }
        Map<String, DeploymentAction.Entry> shipped = new LinkedHashMap<>();
        for (DeploymentAction.Entry entry : action.getEntries()) {
            if (entry.isShipped()
                    && entry.getRelease() != null
                    && entry.getSpec() != null
                    && entry.getSpec().isRemote()) {
                shipped.put(entry.getEnvironment(), entry);
            }
        }
        if (shipped.isEmpty()) {
            return List.of();
        }
        JobState state = JobState.of(run.getParent());
        List<Candidate> candidates = new ArrayList<>();
        for (DeploymentAction.Entry entry : shipped.values()) {
            try {
                Optional<String> live = state.live(entry.getEnvironment());
                if (live.isEmpty() || !live.get().equals(entry.getRelease())) {
                    candidates.add(new Candidate(
                            entry.getEnvironment(), entry.getRelease(), live.orElse(null), entry.getSpec()));
                }
            } catch (IOException | RuntimeException e) {
                LOGGER.log(Level.FINE, "Cannot tell what is live on " + entry.getEnvironment(), e);
            }
        }
        return candidates;
    }

    /** An environment this build's release can be returned to. */
    public static final class Candidate {
        private final String environment;
        private final String release;
        private final String live;
        private final EnvironmentSpec spec;

        Candidate(String environment, String release, String live, EnvironmentSpec spec) {
            this.environment = environment;
            this.release = release;
            this.live = live;
            this.spec = spec;
        }

        public String getEnvironment() {
            return environment;
        }

        /** The release this build deployed there. */
        public String getRelease() {
            return release;
        }

        /** The release live there now, or null when none is. */
        public String getLive() {
            return live;
        }
    }

    /** A candidate with what returning to it would do now, or why that could not be worked out. */
    public static final class Proposal {
        private final Candidate candidate;
        private final List<String> plan;
        private final boolean refused;
        private final String error;

        Proposal(Candidate candidate, List<String> plan, boolean refused, String error) {
            this.candidate = candidate;
            this.plan = List.copyOf(plan);
            this.refused = refused;
            this.error = error;
        }

        public Candidate getCandidate() {
            return candidate;
        }

        /** The plan as the engine describes it, one line each; empty when planning failed. */
        public List<String> getPlan() {
            return plan;
        }

        /** The plan as one text, for a {@code <pre>}. */
        public String getPlanText() {
            return String.join("\n", plan);
        }

        /** True when the engine refuses the plan as it stands (a blocker or an impossibility in the plan). */
        public boolean isRefused() {
            return refused;
        }

        /** Why planning failed, or null. */
        public String getError() {
            return error;
        }
    }

    /**
     * Offers the action on builds that have a candidate. Narrowed to its own type, so asking a build
     * for any other action never reads the history.
     */
    @Extension
    public static final class Factory extends TransientActionFactory<Run> {
        @Override
        public Class<Run> type() {
            return Run.class;
        }

        @Override
        public Class<RollbackToBuildAction> actionType() {
            return RollbackToBuildAction.class;
        }

        @NonNull
        @Override
        public Collection<? extends Action> createFor(@NonNull Run target) {
            Run<?, ?> run = target;
            List<Candidate> candidates = candidates(run);
            return candidates.isEmpty() ? List.of() : List.of(new RollbackToBuildAction(run, candidates));
        }
    }
}
