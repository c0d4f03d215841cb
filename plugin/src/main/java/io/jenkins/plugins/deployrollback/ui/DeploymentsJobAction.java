package io.jenkins.plugins.deployrollback.ui;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Action;
import hudson.model.Item;
import hudson.model.Job;
import io.jenkins.plugins.deployrollback.engine.history.AttemptInProgress;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentsOverview;
import io.jenkins.plugins.deployrollback.engine.history.EnvironmentOverview;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.history.OverviewRow;
import io.jenkins.plugins.deployrollback.run.JobState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import jenkins.model.TransientActionFactory;
import jenkins.security.stapler.StaplerDispatchable;

/**
 * The job's "Deployments" page: per environment what is live, the last known good release and the
 * newest records of its history, each linked to the build (or the "Roll back to this build" press)
 * that made it. Everything shown comes from the job's history and origins files; no build is loaded.
 * Under it, {@code rollbacks/<id>} shows the log of a rollback started by the button.
 */
public final class DeploymentsJobAction implements Action {
    /** How many records of each environment the page lists. */
    static final int ROWS_PER_ENVIRONMENT = 50;

    /** The newest part of a rollback log the page shows; older lines are cut, saying so. */
    static final int MAX_LOG_BYTES = 1024 * 1024;

    private final Job<?, ?> job;

    DeploymentsJobAction(Job<?, ?> job) {
        this.job = job;
    }

    public Job<?, ?> getJob() {
        return job;
    }

    @Override
    public String getIconFileName() {
        return JobState.of(job).exists() ? "symbol-server" : null;
    }

    @Override
    public String getDisplayName() {
        return "Deployments";
    }

    @Override
    public String getUrlName() {
        return "deployments";
    }

    /** What the page shows, read now from the job's history. Needs Item.READ on the job. */
    public Overview getOverview() {
        job.checkPermission(Item.READ);
        JobState state = JobState.of(job);
        try {
            List<EnvironmentView> environments = new ArrayList<>();
            for (EnvironmentOverview environment :
                    DeploymentsOverview.read(state.history(), state.origins(), ROWS_PER_ENVIRONMENT)) {
                environments.add(new EnvironmentView(environment));
            }
            return new Overview(environments, null);
        } catch (IOException | RuntimeException e) {
            return new Overview(List.of(), "The deployment history of this job could not be read: " + e.getMessage());
        }
    }

    /**
     * {@code deployments/rollbacks/<id>}: the log of a rollback started by "Roll back to this build",
     * or null (404) when there is no such log. The id is checked against the form the button gives it
     * before it names a file, so no URL reaches outside the log folder. Needs Item.READ on the job.
     */
    @StaplerDispatchable
    public RollbackLog getRollbacks(String id) {
        job.checkPermission(Item.READ);
        if (!JobState.isRollbackId(id)) {
            return null;
        }
        Path log = JobState.of(job).rollbackLog(id);
        return Files.isRegularFile(log) ? new RollbackLog(id, log) : null;
    }

    /** The page's data: the environments, or why they could not be read. */
    public static final class Overview {
        private final List<EnvironmentView> environments;
        private final String error;

        Overview(List<EnvironmentView> environments, String error) {
            this.environments = List.copyOf(environments);
            this.error = error;
        }

        public List<EnvironmentView> getEnvironments() {
            return environments;
        }

        /** Why the history could not be read, or null. */
        public String getError() {
            return error;
        }
    }

    /** One environment as the page shows it. */
    public final class EnvironmentView {
        private final EnvironmentOverview overview;

        EnvironmentView(EnvironmentOverview overview) {
            this.overview = overview;
        }

        public String getName() {
            return overview.environment().value();
        }

        /** The release live now, or null when none is. */
        public String getLive() {
            return overview.live() == null ? null : overview.live().value();
        }

        /** The last known good release, or null when there is none. */
        public String getLastKnownGood() {
            return overview.lastKnownGood() == null
                    ? null
                    : overview.lastKnownGood().value();
        }

        /** How many records the environment has, however many the page lists. */
        public int getTotal() {
            return overview.total();
        }

        /** The newest records, newest first. */
        public List<RowView> getRows() {
            return overview.rows().stream().map(RowView::new).toList();
        }

        /** What went wrong reading this environment's history (a torn last record, an unreadable line). */
        public List<String> getProblems() {
            return overview.problems();
        }

        /**
         * The operation that began switching and is not recorded yet (running now, such as a gate
         * waiting for an approval, or interrupted), or null.
         */
        public UnfinishedView getUnfinished() {
            return overview.unfinished() == null ? null : new UnfinishedView(overview.unfinished());
        }
    }

    /** An operation switching now, or interrupted after it began switching. */
    public static final class UnfinishedView {
        private final AttemptInProgress attempt;

        UnfinishedView(AttemptInProgress attempt) {
            this.attempt = attempt;
        }

        public String getOperation() {
            return attempt.operation().label();
        }

        public String getRelease() {
            return attempt.release().value();
        }

        /** The release live before it, or null when there was none. */
        public String getPrevious() {
            return attempt.previous() == null ? null : attempt.previous().value();
        }

        public String getTriggeredBy() {
            return attempt.triggeredBy();
        }

        /** When it began, for the view to format in the reader's time zone. */
        public Date getSince() {
            return Date.from(attempt.startedAt());
        }
    }

    /** One record as a row of the page. */
    public final class RowView {
        private final OverviewRow row;

        RowView(OverviewRow row) {
            this.row = row;
        }

        public String getRecordId() {
            return row.recordId();
        }

        /** {@code deploy}, {@code rollback} or {@code roll-forward}. */
        public String getOperation() {
            return row.operation().label();
        }

        public String getRelease() {
            return row.release().value();
        }

        public String getPrevious() {
            return row.previous() == null ? null : row.previous().value();
        }

        public String getLive() {
            return row.live() == null ? null : row.live().value();
        }

        /** SUCCEEDED, FAILED or ROLLED_BACK. */
        public String getOutcome() {
            return row.outcome().name();
        }

        /** True for FAILED and ROLLED_BACK: the page marks them. */
        public boolean isFailed() {
            return row.outcome() != Outcome.SUCCEEDED;
        }

        public String getTriggeredBy() {
            return row.triggeredBy();
        }

        public String getCause() {
            return row.cause();
        }

        /** When it ended (or started, for a record without an end), or null when unknown. */
        public Date getWhen() {
            Instant when = row.finishedAt() != null ? row.finishedAt() : row.startedAt();
            return when == null ? null : Date.from(when);
        }

        /**
         * Where the row links to, relative to the job's URL: the build that made the record
         * ({@code 12/}) or the log of the button press that did ({@code deployments/rollbacks/<id>/});
         * null when the origin is unknown or not of either form.
         */
        public String getHref() {
            String origin = row.origin();
            if (origin == null) {
                return null;
            }
            if (origin.startsWith("build:")) {
                String number = origin.substring("build:".length());
                return number.matches("[0-9]{1,10}") ? number + "/" : null;
            }
            if (origin.startsWith("button:")) {
                String id = origin.substring("button:".length());
                return JobState.isRollbackId(id) ? getUrlName() + "/rollbacks/" + id + "/" : null;
            }
            return null;
        }

        /** The link's text: {@code #12}, or {@code Roll back to this build}. */
        public String getOrigin() {
            String origin = row.origin();
            if (origin != null && origin.startsWith("build:")) {
                return "#" + origin.substring("build:".length());
            }
            if (origin != null && origin.startsWith("button:")) {
                return "Roll back to this build";
            }
            return null;
        }
    }

    /** The log of one button-started rollback, shown as text; it grows while the rollback runs. */
    public final class RollbackLog {
        private final String id;
        private final Path file;

        RollbackLog(String id, Path file) {
            this.id = id;
            this.file = file;
        }

        public Job<?, ?> getJob() {
            return job;
        }

        public String getId() {
            return id;
        }

        /** The log's text (its newest megabyte, if it is longer). Needs Item.READ on the job. */
        public String getText() {
            job.checkPermission(Item.READ);
            try (SeekableByteChannel channel = Files.newByteChannel(file)) {
                long size = channel.size();
                long skipped = Math.max(0, size - MAX_LOG_BYTES);
                channel.position(skipped);
                try (InputStream in = Channels.newInputStream(channel)) {
                    String text = new String(in.readNBytes(MAX_LOG_BYTES), StandardCharsets.UTF_8);
                    return skipped == 0 ? text : "[" + skipped + " bytes left out]\n" + text;
                }
            } catch (NoSuchFileException e) {
                return "The log of this rollback is gone.";
            } catch (IOException e) {
                return "The log of this rollback could not be read: " + e.getMessage();
            }
        }
    }

    /** Offers the Deployments page on every job; its side-panel link shows once the job has deployed. */
    @Extension
    @SuppressWarnings("rawtypes")
    public static final class Factory extends TransientActionFactory<Job> {
        @Override
        public Class<Job> type() {
            return Job.class;
        }

        @Override
        public Class<DeploymentsJobAction> actionType() {
            return DeploymentsJobAction.class;
        }

        @NonNull
        @Override
        public Collection<? extends Action> createFor(@NonNull Job target) {
            return List.of(new DeploymentsJobAction(target));
        }
    }
}
