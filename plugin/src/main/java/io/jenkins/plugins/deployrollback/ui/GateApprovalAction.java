package io.jenkins.plugins.deployrollback.ui;

import hudson.model.Item;
import hudson.model.Run;
import hudson.model.User;
import io.jenkins.plugins.deployrollback.engine.gate.ApprovalDecision;
import io.jenkins.plugins.deployrollback.engine.gate.ApprovalRequest;
import io.jenkins.plugins.deployrollback.engine.gate.CheckVerdict;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jenkins.model.IdStrategy;
import jenkins.model.Jenkins;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * The approvals a gate waits for on this build ("Deployment approvals" in the side panel while one is
 * open), with Proceed and Abort for the allowed approvers, and the answers given, kept with the build.
 * Like the input step: a GET shows, only a POST answers, and an answer from someone not allowed
 * changes nothing.
 */
public final class GateApprovalAction implements RunAction2 {
    private transient Run<?, ?> run;
    private transient Map<String, Pending> pending;
    private transient int nextId;
    private List<Answer> answers = new ArrayList<>();

    /** This build's action, added if it has none yet. */
    public static synchronized GateApprovalAction on(Run<?, ?> run) {
        GateApprovalAction action = run.getAction(GateApprovalAction.class);
        if (action == null) {
            action = new GateApprovalAction();
            run.addAction(action);
        }
        return action;
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

    @Override
    public String getIconFileName() {
        return getPending().isEmpty() ? null : "symbol-hand-right-outline plugin-ionicons-api";
    }

    @Override
    public String getDisplayName() {
        return "Deployment approvals";
    }

    @Override
    public String getUrlName() {
        return "deploy-approvals";
    }

    /** The questions waiting for an answer, oldest first. */
    public synchronized List<Pending> getPending() {
        return pending == null ? List.of() : List.copyOf(pending.values());
    }

    /** The answers given on this build, oldest first. */
    public synchronized List<Answer> getAnswers() {
        return answers == null ? List.of() : List.copyOf(answers);
    }

    /** Opens {@code request} for an answer on this build's page. */
    public synchronized Pending open(ApprovalRequest request) {
        if (pending == null) {
            pending = new LinkedHashMap<>();
        }
        Pending question = new Pending(String.valueOf(++nextId), request);
        pending.put(question.getId(), question);
        return question;
    }

    synchronized void close(Pending question) {
        if (pending != null) {
            pending.remove(question.getId());
        }
    }

    /** Approves the question {@code id} as the current user, if they may answer it. */
    @RequirePOST
    public HttpResponse doProceed(@QueryParameter String id, @QueryParameter String comment) throws IOException {
        return answer(id, true, comment);
    }

    /** Rejects the question {@code id} as the current user, if they may answer it. */
    @RequirePOST
    public HttpResponse doAbort(@QueryParameter String id, @QueryParameter String comment) throws IOException {
        return answer(id, false, comment);
    }

    private HttpResponse answer(String id, boolean approve, String comment) throws IOException {
        Pending question;
        synchronized (this) {
            question = pending == null ? null : pending.get(id);
        }
        if (question == null) {
            return HttpResponses.error(409, "This approval is no longer open: it was answered or timed out");
        }
        String listed = question.allowedAs(User.current());
        if (listed == null) {
            return HttpResponses.error(
                    403,
                    "You may not answer this approval: it is for "
                            + (question.getApprovers().isEmpty()
                                    ? "users who may build this job"
                                    : String.join(", ", question.getApprovers())));
        }
        String note = comment == null || comment.isBlank() ? null : comment.trim();
        ApprovalDecision decision =
                approve ? ApprovalDecision.approved(listed, note) : ApprovalDecision.rejected(listed, note);
        if (question.answer(decision)) {
            synchronized (this) {
                answers.add(new Answer(question, decision));
                close(question);
            }
            run.save();
        }
        return HttpResponses.redirectTo("../");
    }

    /** A question waiting on this build. */
    public final class Pending {
        private final String id;
        private final ApprovalRequest request;
        private final CompletableFuture<ApprovalDecision> decision = new CompletableFuture<>();

        Pending(String id, ApprovalRequest request) {
            this.id = id;
            this.request = request;
        }

        public String getId() {
            return id;
        }

        public String getEnvironment() {
            return request.environment().value();
        }

        public String getRelease() {
            return request.release() == null ? null : request.release().value();
        }

        public String getGate() {
            return request.gate();
        }

        public String getQuestion() {
            return request.question();
        }

        public List<String> getApprovers() {
            return request.approvers();
        }

        /** One line per check verdict gathered so far: what the approver decides on. */
        public List<String> getEvidence() {
            List<String> lines = new ArrayList<>();
            for (CheckVerdict check : request.evidence()) {
                lines.add(check.check() + " " + check.verdict() + ": " + check.reason());
            }
            return lines;
        }

        /** Waits for the answer at most {@code timeout}; no answer in time is {@link ApprovalDecision.Answer#NO_ANSWER}. */
        public ApprovalDecision await(Duration timeout) throws InterruptedException {
            try {
                return decision.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return ApprovalDecision.noAnswer(
                        "nobody answered on the build page within " + timeout.toMinutes() + " min");
            } catch (ExecutionException e) {
                return ApprovalDecision.noAnswer("the approval failed: " + e.getCause());
            } finally {
                close(this);
            }
        }

        boolean answer(ApprovalDecision given) {
            return decision.complete(given);
        }

        /**
         * The approver entry {@code user} answers as, or null when they may not answer. With no
         * approvers listed: anyone who may build the job, as themselves. Matching follows the security
         * realm's user ID rules (case-insensitive by default).
         */
        String allowedAs(User user) {
            if (user == null) {
                return null;
            }
            if (request.approvers().isEmpty()) {
                return run.getParent().hasPermission(Item.BUILD) ? user.getId() : null;
            }
            IdStrategy ids = Jenkins.get().getSecurityRealm().getUserIdStrategy();
            for (String listed : request.approvers()) {
                if (ids.equals(listed, user.getId())) {
                    return listed;
                }
            }
            return null;
        }
    }

    /** An answer given on this build, as it is kept in build.xml: plain values and epoch millis. */
    public static final class Answer {
        private final String environment;
        private final String release;
        private final String gate;
        private final String answer;
        private final String by;
        private final String comment;
        private final long at;

        Answer(Pending question, ApprovalDecision decision) {
            this.environment = question.getEnvironment();
            this.release = question.getRelease();
            this.gate = question.getGate();
            this.answer = decision.answer().name();
            this.by = decision.by();
            this.comment = decision.comment();
            this.at = System.currentTimeMillis();
        }

        public String getEnvironment() {
            return environment;
        }

        public String getRelease() {
            return release;
        }

        public String getGate() {
            return gate;
        }

        public String getAnswer() {
            return answer;
        }

        public String getBy() {
            return by;
        }

        public String getComment() {
            return comment;
        }

        public long getAt() {
            return at;
        }

        /** {@link #getAt} as a date, for the views to format in the reader's time zone. */
        public Date getDate() {
            return new Date(at);
        }

        /** True for an approval, false for a rejection. */
        public boolean isApproved() {
            return ApprovalDecision.Answer.APPROVED.name().equals(answer);
        }
    }
}
