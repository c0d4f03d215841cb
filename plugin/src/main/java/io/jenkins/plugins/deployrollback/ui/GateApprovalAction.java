package io.jenkins.plugins.deployrollback.ui;

import hudson.model.Item;
import hudson.model.Run;
import hudson.model.User;
import hudson.util.CopyOnWriteList;
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
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

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
    /** Copied on every change, so a save from another thread never reads it while an answer is added. */
    private CopyOnWriteList<Answer> answers = new CopyOnWriteList<>();

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
    public List<Answer> getAnswers() {
        CopyOnWriteList<Answer> given = answers;
        return given == null ? List.of() : List.copyOf(given.getView());
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
        User user = User.current();
        ApprovalDecision decision =
                user == null ? null : question.answerOf(user.getId(), Jenkins.getAuthentication2(), approve, comment);
        if (decision == null) {
            return HttpResponses.error(
                    403,
                    "You may not answer this approval: it is for "
                            + (question.getApprovers().isEmpty()
                                    ? "users who may build this job"
                                    : String.join(", ", question.getApprovers()) + " (user IDs or groups)"));
        }
        if (question.answer(decision)) {
            synchronized (this) {
                if (answers == null) {
                    answers = new CopyOnWriteList<>();
                }
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
         * The answer of the user {@code userId}, authenticated as {@code who}, or null when they may not
         * answer. With no approvers listed: anyone who may build the job, as themselves. An entry matches
         * the user's ID by the security realm's user ID rules (recorded as the entry, so the engine finds
         * it listed), or one of their groups by its group ID rules (recorded as the user, answering as
         * the group); both are case-insensitive by default, as for the input step's {@code submitter}.
         */
        ApprovalDecision answerOf(String userId, Authentication who, boolean approve, String comment) {
            String note = comment == null || comment.isBlank() ? null : comment.trim();
            String by = null;
            String as = null;
            if (request.approvers().isEmpty()) {
                by = run.getParent().hasPermission(Item.BUILD) ? userId : null;
            } else {
                by = listedUser(userId);
                if (by == null) {
                    as = listedGroup(who);
                    by = as == null ? null : userId;
                }
            }
            if (by == null) {
                return null;
            }
            return approve ? ApprovalDecision.approved(by, as, note) : ApprovalDecision.rejected(by, as, note);
        }

        private String listedUser(String userId) {
            IdStrategy users = Jenkins.get().getSecurityRealm().getUserIdStrategy();
            for (String listed : request.approvers()) {
                if (users.equals(listed, userId)) {
                    return listed;
                }
            }
            return null;
        }

        private String listedGroup(Authentication who) {
            IdStrategy groups = Jenkins.get().getSecurityRealm().getGroupIdStrategy();
            for (GrantedAuthority authority : who.getAuthorities()) {
                for (String listed : request.approvers()) {
                    if (groups.equals(listed, authority.getAuthority())) {
                        return listed;
                    }
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
        /** The approvers group they answered as; null when listed by their own ID. */
        private final String as;

        private final String comment;
        private final long at;

        Answer(Pending question, ApprovalDecision decision) {
            this.environment = question.getEnvironment();
            this.release = question.getRelease();
            this.gate = question.getGate();
            this.answer = decision.answer().name();
            this.by = decision.by();
            this.as = decision.as();
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

        /** The approvers group the person answered as, or null when they are listed themselves. */
        public String getAs() {
            return as;
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
