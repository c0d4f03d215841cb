package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookMode;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactSource;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseContent;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.strategy.Strategy;
import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.support.JsonLines;
import io.jenkins.plugins.deployrollback.engine.support.Machine;
import io.jenkins.plugins.deployrollback.engine.support.Sha256;
import io.jenkins.plugins.deployrollback.engine.targets.LedgerEntry;
import io.jenkins.plugins.deployrollback.engine.targets.LockInfo;
import io.jenkins.plugins.deployrollback.engine.targets.LockLostException;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.ReleaseIntegrity;
import io.jenkins.plugins.deployrollback.engine.targets.Retrying;
import io.jenkins.plugins.deployrollback.engine.targets.SharedPath;
import io.jenkins.plugins.deployrollback.engine.targets.StagedRelease;
import io.jenkins.plugins.deployrollback.engine.targets.StaleLocks;
import io.jenkins.plugins.deployrollback.engine.targets.TargetConflictException;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLayout;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLock;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLockedException;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One operation's work on an {@link SshTarget}, over one SSH connection opened on first use and
 * opened again (with backoff) when it is lost. Every step is a script run by the host's /bin/sh with
 * quoted arguments, or an SFTP transfer; the layout, lock, ledger and manifests are those of a local
 * target, so both behave the same.
 */
final class SshTargetSession implements TargetSession {
    private static final DateTimeFormatter ARCHIVE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final SshTarget target;
    private final OperationContext context;
    private final SecretMask mask;
    private final Retrying.Pause pause;
    private final InspectOutput inspectOutput;
    private SshConnection connection;
    private volatile SshLock held;
    /**
     * What the last {@link #inspect()} under this session's lock found, until this session changes
     * something: staging a release already present then needs no second look.
     */
    private volatile TargetState inspected;
    /** Where current pointed when this session last looked or switched it; a hint, checked on the host. */
    private volatile ReleaseId lastCurrent;

    SshTargetSession(SshTarget target, OperationContext context, Retrying.Pause pause) {
        this.target = target;
        this.context = context;
        this.mask = new SecretMask(target.credentials());
        this.pause = pause;
        this.inspectOutput = new InspectOutput(target);
    }

    @Override
    public String target() {
        return target.name();
    }

    private String root() {
        return target.root();
    }

    // ---- connection and retries ----------------------------------------------------------------

    @FunctionalInterface
    private interface Step<T> {
        T run(SshConnection connection) throws IOException;
    }

    /** Runs {@code step} on a live connection, reconnecting and retrying when the failure may pass. */
    private <T> T attempt(String what, Step<T> step) throws IOException {
        return Retrying.call(
                target.settings().retry(),
                SshFailure::isTransient,
                (retry, attempts, cause, delay) ->
                        context.progress().retrying(target.name(), what, retry, attempts, cause.getMessage(), delay),
                pause,
                () -> step.run(connection()));
    }

    private synchronized SshConnection connection() throws IOException {
        if (connection != null && !connection.isConnected()) {
            connection.close();
            connection = null;
        }
        if (connection == null) {
            Consumer<String> accepted = key -> context.progress()
                    .warn("Trusted the host key of " + target.name() + " on first use and recorded it: " + key);
            SshConnectionPool pool = target.pool();
            connection = pool == null ? SshConnection.open(target, mask, accepted) : pool.take(target, mask, accepted);
            if (context.operation() == Operation.DEPLOY) {
                connection.openSftpSoon();
            }
        }
        return connection;
    }

    /** Runs a script and returns its result, whatever its exit status. */
    private ControlShell.Result script(SshConnection c, String script, String name, String... args) throws IOException {
        List<String> all = new ArrayList<>();
        all.add(root());
        all.addAll(List.of(args));
        return c.run(script, "deploy-rollback-" + name, all);
    }

    /** Runs a script that must succeed. */
    private ControlShell.Result check(SshConnection c, String script, String name, String... args) throws IOException {
        ControlShell.Result result = script(c, script, name, args);
        if (!result.ok()) {
            throw failed(name, result);
        }
        return result;
    }

    private IOException failed(String step, ControlShell.Result result) {
        String err = result.err().trim();
        return new IOException(step + " on " + target.name() + " failed (exit " + result.status() + ")"
                + (err.isEmpty() ? "" : ": " + err));
    }

    // ---- reading -------------------------------------------------------------------------------

    /**
     * The target's state. Under this session's lock, what it last read or left is not read again: the
     * state its lock step printed, or that after its own switch; anything else this session does (a
     * hook, staging, archiving) makes the next call read the host.
     */
    @Override
    public TargetState inspect() throws IOException {
        TargetState known = inspected;
        SshLock lock = held;
        if (known != null && lock != null && !lock.lost) {
            return new TargetState(
                    known.target(),
                    known.current(),
                    known.releases(),
                    lock.info(),
                    known.problems(),
                    known.slots(),
                    known.lastSwitch());
        }
        ControlShell.Result result = attempt("inspect", c -> check(c, Scripts.INSPECT, "inspect"));
        return inspected(inspectOutput.state(result.out()));
    }

    /** Keeps {@code state} as what this session knows of the target, while it holds the lock. */
    private TargetState inspected(TargetState state) {
        lastCurrent = state.current();
        inspected = held != null ? state : null;
        return state;
    }

    /** Forgets what {@link #inspect()} found: this session is about to change the target (or a hook may). */
    private void changed() {
        inspected = null;
    }

    @Override
    public List<LedgerEntry> ledger() throws IOException {
        ControlShell.Result result = attempt("read the ledger", c -> check(c, Scripts.LEDGER, "ledger"));
        return JsonLines.parse(
                target.name() + ":" + root() + "/" + TargetLayout.LEDGER,
                result.out().getBytes(StandardCharsets.UTF_8),
                LedgerEntry.class,
                new ArrayList<>());
    }

    // ---- lock ----------------------------------------------------------------------------------

    private static String text(LockInfo info) throws IOException {
        return info == null ? "" : Json.mapper().writeValueAsString(info);
    }

    /**
     * Takes the lock in one round trip when it is free: the host's {@link Scripts#TAKE_LOCK} creates the
     * layout, swaps the lock in, removes what interrupted operations left and prints the state, which
     * the next {@link #inspect()} returns. A lock held by someone else comes back as its text; this
     * session then decides (stale, forced, a hook still running) and swaps again from that text.
     */
    @Override
    public TargetLock lock(String purpose, Duration ttl, String forcedBy) throws IOException {
        // Every lock text this session tried: a retry after a swap whose answer was lost finds one of them.
        Set<String> tried = new HashSet<>();
        LockInfo[] holder = {null};
        String[] takeover = {null};
        return attempt("lock", c -> {
            String expected = "";
            for (int tries = 0; ; tries++) {
                Instant now = context.clock().instant();
                LockInfo mine = new LockInfo(
                        context.actor(),
                        Machine.hostName(),
                        Machine.pid(),
                        Machine.processStart(),
                        purpose,
                        UUID.randomUUID().toString(),
                        now,
                        now.plus(ttl),
                        null);
                String text = text(mine);
                tried.add(text);
                ControlShell.Result taken = script(c, Scripts.TAKE_LOCK, "lock", expected, text);
                if (taken.ok()) {
                    held = new SshLock(mine, ttl);
                    recordTakeover(c, holder[0], takeover[0]);
                    String state = reportLeftovers(taken.out());
                    inspected(inspectOutput.state(state));
                    return held;
                }
                if (taken.status() != 3 || tries >= 3) {
                    throw failed("lock", taken);
                }
                if (tried.contains(taken.out())) {
                    // Our own swap went through, its answer lost: the lock is ours, the state unread.
                    held = new SshLock(inspectOutput.lock(taken.out()), ttl);
                    recordTakeover(c, holder[0], takeover[0]);
                    reportLeftovers(check(c, Scripts.CLEAN, "clean").out());
                    return held;
                }
                expected = taken.out();
                holder[0] = inspectOutput.lock(expected);
                takeover[0] = takeoverReason(c, holder[0], now, forcedBy);
            }
        });
    }

    /**
     * Why {@code holder}'s lock may be taken over, or a {@link TargetLockedException} when it may not: a
     * lock is taken over when it is stale and no hook of its holder still runs, or when forced.
     */
    private String takeoverReason(SshConnection c, LockInfo holder, Instant now, String forcedBy) throws IOException {
        if (holder == null) {
            return null;
        }
        boolean hookRuns = holder.hook() != null
                && script(
                                c,
                                Scripts.HOOK_ALIVE,
                                "hook-alive",
                                Long.toString(holder.hook().pid()))
                        .ok();
        String takeover = hookRuns ? null : StaleLocks.reason(holder, now);
        if (takeover == null && forcedBy != null) {
            takeover = "forced: " + forcedBy;
        }
        if (takeover == null) {
            throw new TargetLockedException(
                    target.name(),
                    holder,
                    target.address() + "/" + TargetLayout.LOCK,
                    hookRuns && StaleLocks.holderGone(holder));
        }
        return takeover;
    }

    private void recordTakeover(SshConnection c, LockInfo holder, String takeover) throws IOException {
        if (takeover == null) {
            return;
        }
        context.progress()
                .warn("Took over the lock of " + target.name() + " held by " + holder.describe() + ": " + takeover);
        appendLedger(c, LedgerEntry.LOCK_TAKEOVER, null, null, "from " + holder.describe() + ": " + takeover);
    }

    /** Reports the {@code X <name>} lines that lead {@code out}; returns the rest. */
    private String reportLeftovers(String out) {
        int at = 0;
        while (out.startsWith("X ", at)) {
            int end = out.indexOf('\n', at);
            String leftover = out.substring(at + 2, end < 0 ? out.length() : end);
            context.progress()
                    .info("Removing .deploy/" + leftover + " on " + target.name()
                            + ", left by an interrupted operation");
            at = end < 0 ? out.length() : end + 1;
        }
        return out.substring(at);
    }

    /**
     * The lock this session holds. Renewed from the heartbeat and updated around hooks; every change is
     * a compare-and-swap on the host, so a lock taken over is noticed, never overwritten.
     */
    private final class SshLock implements TargetLock {
        private LockInfo info;
        private final Duration ttl;
        volatile boolean lost;

        SshLock(LockInfo info, Duration ttl) {
            this.info = info;
            this.ttl = ttl;
            StaleLocks.holding(info.token());
        }

        @Override
        public synchronized LockInfo info() {
            return info;
        }

        @Override
        public synchronized void refresh() throws IOException {
            update(info.expiringAt(context.clock().instant().plus(ttl)));
        }

        synchronized void hookRunning(LockInfo.RunningHook hook) throws IOException {
            update(info.running(hook).expiringAt(context.clock().instant().plus(ttl)));
        }

        private void update(LockInfo next) throws IOException {
            String expected = text(info);
            String wanted = text(next);
            ControlShell.Result swap =
                    attempt("renew the lock", c -> script(c, Scripts.SWAP_LOCK, "lock", expected, wanted));
            if (swap.status() == 3) {
                if (swap.out().equals(wanted)) {
                    info = next; // our own swap, retried after its answer was lost
                    return;
                }
                lost = true;
                LockInfo now = inspectOutput.lock(swap.out());
                throw new LockLostException("The lock of " + target.name() + " was "
                        + (now == null ? "removed" : "taken over by " + now.describe()) + " while this "
                        + context.operation().label() + " held it.");
            }
            if (!swap.ok()) {
                throw failed("renew the lock", swap);
            }
            info = next;
        }

        @Override
        public synchronized void close() throws IOException {
            String mine = text(info);
            changed();
            try {
                attempt("unlock", c -> script(c, Scripts.SWAP_LOCK, "unlock", mine, ""));
            } finally {
                StaleLocks.released(info.token());
            }
        }
    }

    // ---- stage ---------------------------------------------------------------------------------

    @Override
    public boolean stage(Release release, ArtifactSupplier source, List<SharedPath> shared) throws IOException {
        String manifest = release.content().manifest();
        String digest = Sha256.of(manifest);
        // Seen under this lock and unchanged by this session since, the target is not looked at twice.
        TargetState state = inspected;
        if (state == null) {
            if (held == null) { // under this session's lock, the lock step made the layout
                attempt("prepare", c -> check(c, Scripts.PREPARE, "prepare"));
            }
            state = inspect();
        }
        changed();
        if (state.release(release.id()).isPresent() || releaseEntryExists(state, release.id())) {
            if (state.holds(release.id(), digest)) {
                if (unchangedSinceStaged(release.id())) {
                    inspected = held != null ? state : null; // nothing changed
                    return false;
                }
                context.progress()
                        .warn(target.name() + ": releases/" + release.id()
                                + " was changed on this target after it was staged; it is moved to "
                                + TargetLayout.FAILED + "/ and staged again from its artifacts");
                // Fetched first: without kept artifacts the change is refused before the folder moves.
                ArtifactSource fetched = source.get();
                archiveFailed(release.id(), Integer.MAX_VALUE);
                return stage(release, () -> fetched, shared);
            }
            throw new TargetConflictException("Target " + target.name() + " already has releases/" + release.id()
                    + " with "
                    + (state.release(release.id()).map(StagedRelease::digest).orElse(null) == null
                            ? "content not staged by Deploy Rollback"
                            : "other content")
                    + ". Nothing was changed. Release ids are immutable: deploy under a new release id, or remove "
                    + target.address() + "/" + TargetLayout.RELEASES + "/" + release.id() + " if it is not in use.");
        }
        List<String> plan = sharedPlan(release.content(), shared);
        String[] staging = {null};
        try {
            attempt("stage " + release.id(), c -> {
                if (staging[0] != null) {
                    script(c, Scripts.REMOVE_STAGING, "clean-staging", staging[0]);
                }
                staging[0] = release.id() + "." + UUID.randomUUID();
                upload(c, release, source, plan, staging[0]);
                return null;
            });
        } catch (IOException | RuntimeException e) {
            if (staging[0] != null) {
                try {
                    attempt("clean up", c -> script(c, Scripts.REMOVE_STAGING, "clean-staging", staging[0]));
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
        return true;
    }

    private static boolean releaseEntryExists(TargetState state, ReleaseId id) {
        return state.problems().stream().anyMatch(p -> p.startsWith("releases/" + id + " "));
    }

    /** Plan lines linking the shared paths into the release, after checking none lies beneath a link of it. */
    private List<String> sharedPlan(ReleaseContent content, List<SharedPath> shared) throws IOException {
        Set<String> links = new HashSet<>();
        content.links().forEach(l -> links.add(l.path()));
        List<String> plan = new ArrayList<>();
        for (SharedPath entry : shared) {
            String[] segments = entry.path().split("/");
            StringBuilder parent = new StringBuilder();
            for (int i = 0; i < segments.length - 1; i++) {
                parent.append(i == 0 ? "" : "/").append(segments[i]);
                if (links.contains(parent.toString())) {
                    throw new TargetConflictException("Shared path " + entry + " lies beneath the link " + parent
                            + " of the release; link a path that is not under a link");
                }
            }
            plan.add((entry.folder() ? "d" : "s") + "\t" + entry.path() + "\t");
            String up = "../".repeat(2 + segments.length - 1);
            plan.add("r\t" + entry.path() + "\t" + up + TargetLayout.SHARED + "/" + entry.path());
        }
        return plan;
    }

    /** Uploads the release into {@code .deploy/staging/<name>}, verifies it on the host, then puts it in place. */
    private void upload(SshConnection c, Release release, ArtifactSupplier source, List<String> sharedPlan, String name)
            throws IOException {
        SftpTransfer.send(
                c, context.progress(), release, source, sharedPlan, root() + "/" + TargetLayout.STAGING, name);
        ControlShell.Result finished = script(c, Scripts.FINISH_UPLOAD, "verify", name, name + ".plan");
        if (finished.status() == 54) {
            String path = finished.err().trim();
            throw new TargetConflictException("Shared file shared/" + path + " does not exist on " + target.name()
                    + " (" + target.address() + "/" + TargetLayout.SHARED + "/" + path
                    + "). Create it there first: shared files survive releases and are not part of any artifact.");
        }
        if (!finished.ok()) {
            throw failed("verifying " + release.id(), finished);
        }
        SftpTransfer.verifyOnHost(target.name(), context.progress(), release.content(), finished.out());
        check(
                c,
                Scripts.COMMIT_STAGE,
                "commit",
                name,
                release.id().value(),
                name + ".manifest",
                ledgerLine(
                        LedgerEntry.STAGE, null, release.id(), release.content().summary()));
    }

    // ---- switch --------------------------------------------------------------------------------

    @Override
    public void switchTo(ReleaseId release) throws IOException {
        String temporary = ".current-" + UUID.randomUUID();
        // What current points to, as this session last saw it: when right, the switch records itself.
        ReleaseId expected = lastCurrent;
        String expectedLink = expected == null ? "" : TargetLayout.RELEASES + "/" + expected;
        LedgerEntry recorded = ledgerEntry(LedgerEntry.SWITCH, expected, release, null);
        String record = Json.mapper().writeValueAsString(recorded);
        TargetState known = inspected;
        changed();
        ControlShell.Result result = attempt(
                "switch to " + release,
                c -> script(c, Scripts.SWITCH, "switch", release.value(), temporary, expectedLink, record));
        switch (result.status()) {
            case 0 -> {}
            case 30 ->
                throw new IOException("Release " + release + " is not present on " + target.name() + " (no releases/"
                        + release + "): it has to be staged before it can go live");
            case 31 ->
                throw new TargetConflictException(target.address() + "/" + TargetLayout.CURRENT
                        + " is not a link: move it away so that it can be switched atomically");
            case 34 ->
                throw new IOException("After switching " + target.name() + " to " + release + ", current points to "
                        + result.out() + ": another process changed it at the same moment");
            default -> throw failed("switch to " + release, result);
        }
        lastCurrent = release;
        if (result.out().endsWith("\nL")) {
            // current pointed where this session last saw it, so nothing but this switch changed.
            inspected = known == null || held == null ? null : known.switchedTo(release, recorded);
            return;
        }
        ReleaseId before = result.out().isEmpty() ? null : TargetLayout.releaseOfLink(result.out());
        attempt(
                "record the switch",
                c -> check(c, Scripts.APPEND_LEDGER, "ledger", ledgerLine(LedgerEntry.SWITCH, before, release, null)));
    }

    @Override
    public void pointSlot(String slot, ReleaseId release) throws IOException {
        changed();
        if (!Strategy.BlueGreen.SLOTS.contains(slot)) {
            throw new IllegalArgumentException("no slot " + slot + ": slots are " + Strategy.BlueGreen.SLOTS);
        }
        String temporary = "." + slot + "-" + UUID.randomUUID();
        ControlShell.Result result = attempt(
                "point slot " + slot + " to " + release,
                c -> script(c, Scripts.POINT_SLOT, "slot", release.value(), slot, temporary));
        switch (result.status()) {
            case 0 -> {}
            case 30 ->
                throw new IOException("Release " + release + " is not present on " + target.name() + " (no releases/"
                        + release + "): it has to be staged before a slot can hold it");
            case 31 ->
                throw new TargetConflictException(target.address() + "/" + TargetLayout.slot(slot)
                        + " is not a link: move it away so that it can be pointed atomically");
            default -> throw failed("point slot " + slot + " to " + release, result);
        }
        ReleaseId before = result.out().isEmpty() ? null : TargetLayout.releaseOfLink(result.out());
        attempt(
                "record the slot",
                c -> check(c, Scripts.APPEND_LEDGER, "ledger", ledgerLine(LedgerEntry.SLOT, before, release, slot)));
    }

    // ---- hooks ---------------------------------------------------------------------------------

    @Override
    public HookRun runHook(
            Hook hook, HookMode mode, ReleaseId release, Map<String, String> variables, Consumer<String> output)
            throws IOException {
        changed();
        Map<String, String> environment = new HashMap<>(variables);
        environment.put("DEPLOY_ROOT", root());
        environment.put("DEPLOY_RELEASE_PATH", root() + "/" + TargetLayout.RELEASES + "/" + release);
        environment.put("DEPLOY_TARGET", target.name());
        // Not retried: a hook that may have run must never run twice on its own.
        return new RemoteHook(connection(), hook, mode, environment)
                .run(
                        root() + "/" + TargetLayout.RELEASES + "/" + release,
                        output,
                        pid -> {
                            if (held != null) {
                                held.hookRunning(new LockInfo.RunningHook(hook.name(), pid, null));
                            }
                        },
                        () -> held != null && held.lost,
                        () -> {
                            if (held != null && !held.lost) {
                                held.hookRunning(null);
                            }
                        });
    }

    // ---- archive and removal -------------------------------------------------------------------

    @Override
    public ReleaseIntegrity verifyRelease(ReleaseId release) throws IOException {
        ControlShell.Result result = attempt(
                "verify releases/" + release, c -> check(c, Scripts.VERIFY_RELEASE, "verify-release", release.value()));
        List<String> differing = new ArrayList<>();
        boolean live = false;
        boolean fingerprintMatches = true;
        for (String line : result.out().split("\n")) {
            if (line.equals("A")) {
                return new ReleaseIntegrity(
                        target.name(), release, List.of(), true, "releases/" + release + " is not present");
            } else if (line.equals("M")) {
                return new ReleaseIntegrity(
                        target.name(),
                        release,
                        List.of(),
                        true,
                        "it has no manifest: it was not staged by Deploy Rollback");
            } else if (line.startsWith("D ")) {
                differing.add(line.substring(2));
            } else if (line.equals("L")) {
                live = true;
            } else if (line.equals("F changed")) {
                fingerprintMatches = false;
            }
        }
        // The live release changes as it serves (what its hooks and the application write): only its files are checked.
        return new ReleaseIntegrity(target.name(), release, differing, live || fingerprintMatches, null);
    }

    /** True when releases/{@code id} has the fingerprint recorded when it was staged. */
    private boolean unchangedSinceStaged(ReleaseId id) throws IOException {
        ControlShell.Result result = attempt(
                "check releases/" + id, c -> check(c, Scripts.CHECK_FINGERPRINT, "check-fingerprint", id.value()));
        return result.out().trim().equals("same");
    }

    @Override
    public void archiveFailed(ReleaseId release, int keepFailed) throws IOException {
        changed();
        String name = ARCHIVE_STAMP.format(context.clock().instant()) + "-" + release;
        ControlShell.Result result = attempt(
                "archive " + release,
                c -> script(
                        c,
                        Scripts.ARCHIVE,
                        "archive",
                        release.value(),
                        name,
                        Integer.toString(keepFailed),
                        ledgerLine(LedgerEntry.ARCHIVE, null, release, TargetLayout.FAILED + "/" + name)));
        refuseIfLive(result, release, "archive");
    }

    @Override
    public void remove(ReleaseId release) throws IOException {
        changed();
        ControlShell.Result result = attempt(
                "remove " + release,
                c -> script(
                        c,
                        Scripts.REMOVE,
                        "remove",
                        release.value(),
                        "removing-" + release + "." + UUID.randomUUID(),
                        ledgerLine(LedgerEntry.REMOVE, null, release, null)));
        refuseIfLive(result, release, "remove");
    }

    private void refuseIfLive(ControlShell.Result result, ReleaseId release, String what) throws IOException {
        if (result.status() == 40) {
            throw new IllegalStateException(
                    "Refusing to " + what + " release " + release + " on " + target.name() + ": it is live");
        }
        if (!result.ok()) {
            throw failed(what + " " + release, result);
        }
    }

    // ---- plumbing ------------------------------------------------------------------------------

    private String ledgerLine(String event, ReleaseId from, ReleaseId to, String detail) throws IOException {
        return Json.mapper().writeValueAsString(ledgerEntry(event, from, to, detail));
    }

    private LedgerEntry ledgerEntry(String event, ReleaseId from, ReleaseId to, String detail) {
        return context.ledgerEntry(event, from, to, detail);
    }

    private void appendLedger(SshConnection c, String event, ReleaseId from, ReleaseId to, String detail)
            throws IOException {
        check(c, Scripts.APPEND_LEDGER, "ledger", ledgerLine(event, from, to, detail));
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            if (target.pool() == null) {
                connection.close();
            } else {
                target.pool().give(connection);
            }
            connection = null;
        }
    }
}
