package io.jenkins.plugins.deployrollback.ui;

import hudson.model.Run;
import hudson.util.CopyOnWriteList;
import io.jenkins.plugins.deployrollback.config.EnvironmentSpec;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import jenkins.model.RunAction2;

/**
 * What this build deployed, verified, rolled back or rolled forward: one entry per step call, with the
 * outcome and the gates' evidence, shown as a summary on the build page. Kept in build.xml as
 * plain values (strings, booleans, epoch millis, lists and maps of those) and the environment's spec,
 * which holds a credentials ID but never a key.
 */
public final class DeploymentAction implements RunAction2 {
    private transient Run<?, ?> run;
    /**
     * Copied on every change, so that saving the build (from any thread, for any reason) never reads
     * the list while a step in another {@code parallel} branch adds to it. Same form in build.xml as
     * the plain list earlier versions kept.
     */
    private final CopyOnWriteList<Entry> entries = new CopyOnWriteList<>();

    /**
     * Adds {@code entry} to {@code build}'s action (creating it) and saves the build. Safe from
     * {@code parallel} branches: one action per build, no entry lost, each save sees whole entries.
     */
    public static void record(Run<?, ?> build, Entry entry) throws IOException {
        DeploymentAction action;
        synchronized (DeploymentAction.class) {
            action = build.getAction(DeploymentAction.class);
            if (action == null) {
                action = new DeploymentAction();
                build.addAction(action);
            }
        }
        action.entries.add(entry);
        build.save();
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    public List<Entry> getEntries() {
        return List.copyOf(entries.getView());
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return "Deployments";
    }

    @Override
    public String getUrlName() {
        return null;
    }

    /** One step call's result as the build keeps it. */
    public static final class Entry {
        private final EnvironmentSpec spec;
        private final Map<String, Object> result;
        private final String actor;
        private final long startedAt;
        private final long finishedAt;

        /** {@code result}: the step's result map (plain values only, see the engine's PipelineResults). */
        public Entry(EnvironmentSpec spec, Map<String, Object> result, String actor, long startedAt, long finishedAt) {
            this.spec = spec;
            this.result = result;
            this.actor = actor;
            this.startedAt = startedAt;
            this.finishedAt = finishedAt;
        }

        public EnvironmentSpec getSpec() {
            return spec;
        }

        public Map<String, Object> getResult() {
            return result;
        }

        public String getActor() {
            return actor;
        }

        public long getStartedAt() {
            return startedAt;
        }

        public long getFinishedAt() {
            return finishedAt;
        }

        public String getEnvironment() {
            return spec.getEnvironment();
        }

        /** {@code deploy}, {@code rollback}, {@code roll-forward} or {@code verify}. */
        public String getOperation() {
            Object operation = result.get("operation");
            return operation == null ? "verify" : operation.toString();
        }

        public String getRelease() {
            return text("release");
        }

        public String getPrevious() {
            return text("previous");
        }

        public String getLive() {
            return text("live");
        }

        /** SUCCEEDED, FAILED or ROLLED_BACK for an operation; PASS, FAIL or INCONCLUSIVE for a verify. */
        public String getOutcome() {
            String outcome = text("outcome");
            return outcome != null ? outcome : text("verdict");
        }

        public String getCause() {
            return text("cause");
        }

        /** True for a deploy (or roll-forward) that put its release live and passed its gates. */
        public boolean isShipped() {
            return ("deploy".equals(getOperation()) || "roll-forward".equals(getOperation()))
                    && "SUCCEEDED".equals(getOutcome());
        }

        /** The gates' verdicts as the result gives them: maps with name, verdict, reason and checks. */
        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> getGates() {
            Object gates = result.get("gates");
            return gates instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
        }

        private String text(String key) {
            Object value = result.get(key);
            return value == null ? null : value.toString();
        }
    }
}
