package io.jenkins.plugins.deployrollback.ui;

import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.Extension;
import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.model.Action;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.User;
import hudson.security.Permission;
import hudson.security.PermissionScope;
import io.jenkins.plugins.deployrollback.config.EnvironmentSpec;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.plan.DeploymentPlan;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.run.JobState;
import io.jenkins.plugins.deployrollback.run.Operations;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.TransientActionFactory;
import org.jvnet.localizer.Localizable;
import org.jvnet.localizer.ResourceBundleHolder;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.interceptor.RequirePOST;

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
        List<Proposal> proposals = new ArrayList<>();
        for (Candidate candidate : candidates) {
            proposals.add(propose(candidate));
        }
        return proposals;
    }

    private Proposal propose(Candidate candidate) {
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
        String id = Operations.startRollbackToBuild(
                run, candidate.spec, candidate.release, user == null ? "anonymous" : user.getId());
        return HttpResponses.redirectViaContextPath(
                "/" + run.getParent().getUrl() + "deployments/rollbacks/" + id + "/");
    }

    private static String message(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /**
     * The environments {@code run} shipped a release to over SSH whose live release is now another
     * one: the newest shipped entry per environment. Reads the run's action and each environment's
     * history, nothing else.
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
                Optional<ReleaseId> live = state.history()
                        .read(EnvironmentName.of(entry.getEnvironment()))
                        .current();
                if (live.isEmpty() || !live.get().value().equals(entry.getRelease())) {
                    candidates.add(new Candidate(
                            entry.getEnvironment(),
                            entry.getRelease(),
                            live.map(ReleaseId::value).orElse(null),
                            entry.getSpec()));
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
