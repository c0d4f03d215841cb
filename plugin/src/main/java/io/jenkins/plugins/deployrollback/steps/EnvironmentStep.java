package io.jenkins.plugins.deployrollback.steps;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.deployrollback.config.AllAtOnceStrategySpec;
import io.jenkins.plugins.deployrollback.config.EnvironmentSpec;
import io.jenkins.plugins.deployrollback.config.GateSpec;
import io.jenkins.plugins.deployrollback.config.HookSpec;
import io.jenkins.plugins.deployrollback.config.StrategySpec;
import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.retention.RetentionPolicy;
import io.jenkins.plugins.deployrollback.engine.targets.RetryPolicy;
import io.jenkins.plugins.deployrollback.engine.targets.ssh.SshAddress;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jenkins.model.Jenkins;
import net.sf.json.JSONArray;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;
import org.springframework.security.core.Authentication;

/**
 * What every step shares: the environment and how to reach it. A step that gives no hosts and no
 * path uses the definition recorded by this job's last deploy to that environment, so a rollback is
 * just {@code rollback(environment: 'prod')}.
 */
public abstract class EnvironmentStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String environment;
    private List<String> hosts = new ArrayList<>();
    private String path;
    private String credentialsId;
    private String knownHosts;
    private List<HookSpec> hooks = new ArrayList<>();
    private List<GateSpec> gates = new ArrayList<>();
    private int retries = RetryPolicy.DEFAULT.attempts();
    private boolean autoRollback = true;
    private int keepReleases = RetentionPolicy.DEFAULT.keepReleases();
    private String onInconclusive = "ask";
    private String approvers = "";
    private boolean verifyAfterRollback;
    private int lockTimeoutMinutes = 30;
    // Equal to the allAtOnce() a script may write, so the Snippet Generator leaves the default out.
    private StrategySpec strategy = new AllAtOnceStrategySpec();
    private boolean failBuild = true;
    /** The environment options the script gave, so a step naming a recorded environment overrides only those. */
    private final Set<String> given = new TreeSet<>();

    protected EnvironmentStep(String environment) {
        this.environment = environment;
    }

    public String getEnvironment() {
        return environment;
    }

    public List<String> getHosts() {
        return hosts;
    }

    /** {@code host} or {@code host:port}; the user comes from the credentials. Empty: {@code path} is a folder on the agent. */
    @DataBoundSetter
    public void setHosts(List<String> hosts) {
        given.add("hosts");
        this.hosts = hosts == null ? new ArrayList<>() : new ArrayList<>(hosts);
    }

    public String getPath() {
        return path;
    }

    @DataBoundSetter
    public void setPath(String path) {
        given.add("path");
        this.path = blankToNull(path);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        given.add("credentialsId");
        this.credentialsId = blankToNull(credentialsId);
    }

    public String getKnownHosts() {
        return knownHosts;
    }

    /** The hosts' keys, as known_hosts lines: the only keys trusted. */
    @DataBoundSetter
    public void setKnownHosts(String knownHosts) {
        given.add("knownHosts");
        this.knownHosts = blankToNull(knownHosts);
    }

    public List<HookSpec> getHooks() {
        return hooks;
    }

    @DataBoundSetter
    public void setHooks(List<HookSpec> hooks) {
        given.add("hooks");
        this.hooks = hooks == null ? new ArrayList<>() : new ArrayList<>(hooks);
    }

    public List<GateSpec> getGates() {
        return gates;
    }

    @DataBoundSetter
    public void setGates(List<GateSpec> gates) {
        given.add("gates");
        this.gates = gates == null ? new ArrayList<>() : new ArrayList<>(gates);
    }

    public int getRetries() {
        return retries;
    }

    /** Attempts of each SSH step that fails for a passing reason (1: no retry). */
    @DataBoundSetter
    public void setRetries(int retries) {
        given.add("retries");
        this.retries = retries;
    }

    public boolean isAutoRollback() {
        return autoRollback;
    }

    @DataBoundSetter
    public void setAutoRollback(boolean autoRollback) {
        given.add("autoRollback");
        this.autoRollback = autoRollback;
    }

    public int getKeepReleases() {
        return keepReleases;
    }

    @DataBoundSetter
    public void setKeepReleases(int keepReleases) {
        given.add("keepReleases");
        this.keepReleases = keepReleases;
    }

    public String getOnInconclusive() {
        return onInconclusive;
    }

    /** {@code ask} (an approver decides on the build page), {@code fail} or {@code pass}. */
    @DataBoundSetter
    public void setOnInconclusive(String onInconclusive) {
        given.add("onInconclusive");
        this.onInconclusive = onInconclusive;
    }

    public String getApprovers() {
        return approvers;
    }

    /** Who may answer when an inconclusive gate asks: user IDs separated by commas; empty: anyone who may build. */
    @DataBoundSetter
    public void setApprovers(String approvers) {
        given.add("approvers");
        this.approvers = approvers == null ? "" : approvers;
    }

    public boolean isVerifyAfterRollback() {
        return verifyAfterRollback;
    }

    @DataBoundSetter
    public void setVerifyAfterRollback(boolean verifyAfterRollback) {
        given.add("verifyAfterRollback");
        this.verifyAfterRollback = verifyAfterRollback;
    }

    public int getLockTimeoutMinutes() {
        return lockTimeoutMinutes;
    }

    @DataBoundSetter
    public void setLockTimeoutMinutes(int lockTimeoutMinutes) {
        given.add("lockTimeoutMinutes");
        this.lockTimeoutMinutes = lockTimeoutMinutes;
    }

    public StrategySpec getStrategy() {
        return strategy;
    }

    /**
     * How a release goes live across the targets: {@code allAtOnce()} (the default), {@code rolling(…)},
     * {@code canary(…)} or {@code blueGreen(…)}.
     */
    @DataBoundSetter
    public void setStrategy(StrategySpec strategy) {
        given.add("strategy");
        this.strategy = strategy == null ? new AllAtOnceStrategySpec() : strategy;
    }

    public boolean isFailBuild() {
        return failBuild;
    }

    /**
     * Fail the step when the operation did not succeed, or the verdict is not PASS (the default);
     * false returns the result for the script to decide.
     */
    @DataBoundSetter
    public void setFailBuild(boolean failBuild) {
        this.failBuild = failBuild;
    }

    /** True when this step defines the environment itself (hosts or a path given). */
    boolean definesEnvironment() {
        return path != null || !hosts.isEmpty();
    }

    /**
     * The environment this step acts on: as it defines it (hosts or a path given), or as this job's
     * last deploy recorded it ({@code recorded}) with the options this step gives in place of the
     * recorded ones, such as a rotated {@code credentialsId} or a different {@code keepReleases}.
     */
    EnvironmentSpec spec(EnvironmentSpec recorded) {
        return recorded == null ? spec() : recorded.overriddenBy(spec(), given);
    }

    /** The options this step gives for the environment, in name order; empty when it gives none. */
    Set<String> givenOptions() {
        // Sorted, so the log names them in the same order every time (Set.copyOf has no order).
        return Collections.unmodifiableSortedSet(new TreeSet<>(given));
    }

    /** The environment as this step defines it. */
    EnvironmentSpec spec() {
        return new EnvironmentSpec(
                environment,
                hosts,
                path,
                credentialsId,
                knownHosts,
                hooks,
                gates,
                retries,
                autoRollback,
                keepReleases,
                onInconclusive,
                approvers,
                verifyAfterRollback,
                lockTimeoutMinutes,
                strategy);
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** What every step needs: a build, its log, and a workspace on a node (the engine runs there). */
    static final Set<Class<?>> CONTEXT = Set.of(Run.class, TaskListener.class, FilePath.class, Launcher.class);

    /** The form helpers every step's descriptor shares: credentials dropdown and checks by the engine's rules. */
    public abstract static class EnvironmentStepDescriptor extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return CONTEXT;
        }

        /** The step's list-of-text options, each edited in the form as a text area, one value per line. */
        protected Set<String> lineListFields() {
            return Set.of("hosts");
        }

        /**
         * Binds the form, turning each {@link #lineListFields() list option}'s text area into a list of
         * its non-blank lines (data binding alone would make the whole text one element, or an empty
         * text a list of one empty string).
         */
        @Override
        public Step newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            JSONObject bound = JSONObject.fromObject(formData);
            for (String field : lineListFields()) {
                Object value = bound.opt(field);
                if (value instanceof String text) {
                    JSONArray lines = new JSONArray();
                    lines.addAll(lines(text));
                    bound.put(field, lines);
                }
            }
            return super.newInstance(req, bound);
        }

        /** {@code values} as a text area shows them: one per line. */
        public String joinLines(List<String> values) {
            return values == null ? "" : String.join("\n", values);
        }

        static List<String> lines(String text) {
            List<String> lines = new ArrayList<>();
            for (String line : text.split("\\R")) {
                if (!line.isBlank()) {
                    lines.add(line.trim());
                }
            }
            return lines;
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            StandardListBoxModel result = new StandardListBoxModel();
            if (item == null) {
                if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                    return result.includeCurrentValue(credentialsId);
                }
            } else if (!item.hasPermission(Item.EXTENDED_READ) && !item.hasPermission(CredentialsProvider.USE_ITEM)) {
                return result.includeCurrentValue(credentialsId);
            }
            // In a job: what its builds may use. Outside one (an administrator's global snippet generator):
            // the credentials Jenkins itself holds, as the credentials plugin's own fields list them.
            Authentication as = item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
            return result.includeEmptyValue()
                    .includeMatchingAs(
                            as,
                            item,
                            SSHUserPrivateKey.class,
                            List.<DomainRequirement>of(),
                            CredentialsMatchers.always())
                    .includeCurrentValue(credentialsId);
        }

        @POST
        public ListBoxModel doFillOnInconclusiveItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("Ask an approver on the build page (ask)", "ask");
            items.add("Count it as a failure (fail)", "fail");
            items.add("Count it as a pass, with a warning (pass)", "pass");
            return items;
        }

        @POST
        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            if (item == null
                    ? !Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                    : !item.hasPermission(Item.EXTENDED_READ)) {
                return FormValidation.ok();
            }
            if (value == null || value.isBlank()) {
                return FormValidation.ok("Needed when deploying to hosts; leave empty for a folder on the agent");
            }
            Authentication as =
                    item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : Jenkins.getAuthentication2();
            ListBoxModel found = CredentialsProvider.listCredentialsInItem(
                    SSHUserPrivateKey.class, item, as, List.<DomainRequirement>of(), CredentialsMatchers.withId(value));
            return found.isEmpty()
                    ? FormValidation.error(
                            "No \"SSH Username with private key\" credential with ID " + value + " is visible here")
                    : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckEnvironment(@AncestorInPath Item item, @QueryParameter String value) {
            if (item != null && !item.hasPermission(Item.CONFIGURE)) {
                return FormValidation.ok();
            }
            try {
                EnvironmentName.of(value);
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        @POST
        public FormValidation doCheckHosts(@AncestorInPath Item item, @QueryParameter String value) {
            if (item != null && !item.hasPermission(Item.CONFIGURE)) {
                return FormValidation.ok();
            }
            if (value == null) {
                return FormValidation.ok();
            }
            for (String host : value.split("[,\\s]+")) {
                if (host.isEmpty()) {
                    continue;
                }
                try {
                    SshAddress.parse(host, 22);
                } catch (IllegalArgumentException e) {
                    return FormValidation.error(e.getMessage());
                }
            }
            return FormValidation.ok();
        }
    }
}
