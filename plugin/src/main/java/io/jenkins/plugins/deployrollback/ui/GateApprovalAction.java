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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
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
 * changes nothing. Like it too, an open question is kept in build.xml, so it survives a restart of
 * Jenkins with its deadline: the step that asked runs again after the restart, and asking the same
 * question again finds it, with the answer given meanwhile if there is one.
 */
public final class GateApprovalAction implements RunAction2 {
    private static final Logger LOGGER = Logger.getLogger(GateApprovalAction.class.getName());

    private transient Run<?, ?> run;
    /** The step threads waiting for each open question, by its ID; none right after a restart. */
    private transient Map<String, CompletableFuture<ApprovalDecision>> waiting;

    private int nextId;
    /** Questions asked and not yet settled, oldest first: unanswered, or answered while nobody waited. */
    private CopyOnWriteList<Pending> open = new CopyOnWriteList<>();
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

    /** The questions waiting for an answer, oldest first; none once the build has ended. */
    public synchronized List<Pending> getPending() {
        if (open == null || run == null || !run.isBuilding()) {
            return List.of();
        }
        List<Pending> unanswered = new ArrayList<>();
        for (Pending question : open) {
            if (question.given == null) {
                unanswered.add(question);
            }
        }
        return unanswered;
    }

    /** The answers given on this build, oldest first. */
    public List<Answer> getAnswers() {
        CopyOnWriteList<Answer> given = answers;
        return given == null ? List.of() : List.copyOf(given.getView());
    }

    /**
     * Opens {@code request} for an answer on this build's page, asked by the step {@code asker}, and
     * keeps it in build.xml. The same step asking the same question again after a restart finds the
     * one it asked before, with its deadline and any answer given since.
     */
    public Pending open(ApprovalRequest request, String asker) {
        Pending question;
        synchronized (this) {
            if (open == null) {
                open = new CopyOnWriteList<>();
            }
            if (waiting == null) {
                waiting = new HashMap<>();
            }
            question = null;
            for (Pending earlier : open) {
                if (!waiting.containsKey(earlier.id) && earlier.asks(request, asker)) {
                    question = earlier;
                    break;
                }
            }
            if (question == null) {
                long now = System.currentTimeMillis();
                question = new Pending(
                        String.valueOf(++nextId),
                        asker,
                        request,
                        now,
                        now + request.timeout().toMillis());
                open.add(question);
            }
            waiting.put(question.id, new CompletableFuture<>());
        }
        save();
        return question;
    }

    /**
     * Waits for the answer to {@code question} until its deadline; no answer in time is {@link
     * ApprovalDecision.Answer#NO_ANSWER}. An answer given while nobody waited (during a restart)
     * comes back at once.
     */
    public ApprovalDecision await(Pending question) throws InterruptedException {
        CompletableFuture<ApprovalDecision> decision;
        synchronized (this) {
            decision = waiting == null ? null : waiting.get(question.id);
            if (question.given != null && decision != null) {
                decision.complete(question.given.decision());
            }
        }
        if (decision == null) {
            throw new IllegalStateException("Question " + question.id + " is not open");
        }
        boolean settled = false;
        try {
            long left = question.deadline - System.currentTimeMillis();
            ApprovalDecision given = decision.get(Math.max(0, left), TimeUnit.MILLISECONDS);
            settled = true;
            return given;
        } catch (TimeoutException e) {
            settled = true;
            return ApprovalDecision.noAnswer("nobody answered on the build page within "
                    + Duration.ofMillis(question.deadline - question.asked).toMinutes() + " min");
        } catch (ExecutionException e) {
            settled = true;
            return ApprovalDecision.noAnswer("the approval failed: " + e.getCause());
        } finally {
            // Interrupted (a shutdown, or the build aborted): no longer waited for, but still open, so
            // the step's run after a restart finds it; a step that ends drops it with forget.
            if (settled) {
                settle(question);
            } else {
                synchronized (this) {
                    if (waiting != null) {
                        waiting.remove(question.id);
                    }
                }
            }
        }
    }

    /** Drops the questions {@code asker} opened and did not ask again (its run after a restart went another way). */
    public void forget(String asker) {
        boolean dropped = false;
        synchronized (this) {
            if (open != null) {
                for (Pending question : open) {
                    if (question.asker.equals(asker) && (waiting == null || !waiting.containsKey(question.id))) {
                        open.remove(question);
                        dropped = true;
                    }
                }
            }
        }
        if (dropped) {
            save();
        }
    }

    private void settle(Pending question) {
        synchronized (this) {
            if (waiting != null) {
                waiting.remove(question.id);
            }
            if (open != null) {
                open.remove(question);
            }
        }
        save();
    }

    /**
     * Saves the build; a failure is logged, not thrown: the question still works until a restart,
     * and the answer is in the log and the gate's evidence either way.
     */
    private void save() {
        try {
            run.save();
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not save the approvals of " + run, e);
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
        Pending question = null;
        for (Pending candidate : getPending()) {
            if (candidate.id.equals(id)) {
                question = candidate;
            }
        }
        if (question == null) {
            return HttpResponses.errorWithoutStack(
                    409, "This approval is no longer open: it was answered or timed out");
        }
        // Anonymous (no security, or anonymous given Job/Build) answers as "anonymous", as the button's rollback
        // records it; only where no approvers are listed, since a list names users and groups that log in.
        User user = User.current();
        String userId =
                user != null ? user.getId() : question.getApprovers().isEmpty() ? Jenkins.ANONYMOUS2.getName() : null;
        ApprovalDecision decision =
                userId == null ? null : question.answerOf(run, userId, Jenkins.getAuthentication2(), approve, comment);
        if (decision == null) {
            // Without a stack: the person is told why (Jenkins hides the message of an error with one), and the
            // log gets no warning for an ordinary refusal.
            return HttpResponses.errorWithoutStack(
                    403,
                    "You may not answer this approval: it is for "
                            + (question.getApprovers().isEmpty()
                                    ? "users who may build this job"
                                    : String.join(", ", question.getApprovers()) + " (user IDs or groups)"));
        }
        synchronized (this) {
            if (question.given != null) {
                return HttpResponses.errorWithoutStack(
                        409, "This approval is no longer open: it was answered or timed out");
            }
            question.given = new Given(decision);
            if (answers == null) {
                answers = new CopyOnWriteList<>();
            }
            answers.add(new Answer(question, decision));
            CompletableFuture<ApprovalDecision> waiter = waiting == null ? null : waiting.get(question.id);
            if (waiter != null) {
                waiter.complete(decision);
            }
        }
        run.save();
        return HttpResponses.redirectTo("../");
    }

    /** A question asked on this build, kept in build.xml as plain values until it is settled. */
    public static final class Pending {
        private final String id;
        /** The step that asked (its execution's key), so only its run after a restart finds it again. */
        private final String asker;

        private final String environment;
        private final String release;
        private final String gate;
        private final String question;
        private final List<String> approvers;
        private final List<String> evidence;
        private final long asked;
        private final long deadline;
        /** The answer given while no step waited for it (during a restart); null until then. */
        private volatile Given given;

        Pending(String id, String asker, ApprovalRequest request, long asked, long deadline) {
            this.id = id;
            this.asker = asker;
            this.environment = request.environment().value();
            this.release = request.release() == null ? null : request.release().value();
            this.gate = request.gate();
            this.question = request.question();
            this.approvers = List.copyOf(request.approvers());
            this.evidence = evidenceLines(request);
            this.asked = asked;
            this.deadline = deadline;
        }

        private static List<String> evidenceLines(ApprovalRequest request) {
            List<String> lines = new ArrayList<>();
            for (CheckVerdict check : request.evidence()) {
                lines.add(check.check() + " " + check.verdict() + ": " + check.reason());
            }
            return List.copyOf(lines);
        }

        boolean asks(ApprovalRequest request, String by) {
            return asker.equals(by)
                    && environment.equals(request.environment().value())
                    && java.util.Objects.equals(
                            release,
                            request.release() == null ? null : request.release().value())
                    && gate.equals(request.gate())
                    && question.equals(request.question())
                    && approvers.equals(request.approvers());
        }

        public String getId() {
            return id;
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

        public String getQuestion() {
            return question;
        }

        public List<String> getApprovers() {
            return approvers;
        }

        /** One line per check verdict gathered before it was asked: what the approver decides on. */
        public List<String> getEvidence() {
            return evidence;
        }

        /** When it was asked, in epoch millis (before a restart, for a question found again). */
        public long getAskedMillis() {
            return asked;
        }

        /** True once someone answered it. */
        public boolean isAnswered() {
            return given != null;
        }

        /** When it stops waiting for an answer, for the views to format in the reader's time zone. */
        public Date getDeadline() {
            return new Date(deadline);
        }

        /**
         * The answer of the user {@code userId} on {@code run}, authenticated as {@code who}, or null when they may not
         * answer. With no approvers listed: anyone who may build the job, as themselves. An entry matches
         * the user's ID by the security realm's user ID rules (recorded as the entry, so the engine finds
         * it listed), or one of their groups by its group ID rules (recorded as the user, answering as
         * the group); both are case-insensitive by default, as for the input step's {@code submitter}.
         */
        ApprovalDecision answerOf(Run<?, ?> run, String userId, Authentication who, boolean approve, String comment) {
            String note = comment == null || comment.isBlank() ? null : comment.trim();
            String by = null;
            String as = null;
            if (approvers.isEmpty()) {
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
            for (String listed : approvers) {
                if (users.equals(listed, userId)) {
                    return listed;
                }
            }
            return null;
        }

        private String listedGroup(Authentication who) {
            IdStrategy groups = Jenkins.get().getSecurityRealm().getGroupIdStrategy();
            for (GrantedAuthority authority : who.getAuthorities()) {
                for (String listed : approvers) {
                    if (groups.equals(listed, authority.getAuthority())) {
                        return listed;
                    }
                }
            }
            return null;
        }
    }

    /** An answer kept with its question until the step that asked picks it up. */
    static final class Given {
        private final String answer;
        private final String by;
        private final String as;
        private final String comment;

        Given(ApprovalDecision decision) {
            this.answer = decision.answer().name();
            this.by = decision.by();
            this.as = decision.as();
            this.comment = decision.comment();
        }

        ApprovalDecision decision() {
            return ApprovalDecision.Answer.APPROVED.name().equals(answer)
                    ? ApprovalDecision.approved(by, as, comment)
                    : ApprovalDecision.rejected(by, as, comment);
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
