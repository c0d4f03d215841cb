package io.jenkins.plugins.deployrollback.engine.targets.ssh;

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
import io.jenkins.plugins.deployrollback.engine.support.Sha256;
import io.jenkins.plugins.deployrollback.engine.targets.LedgerEntry;
import io.jenkins.plugins.deployrollback.engine.targets.LockInfo;
import io.jenkins.plugins.deployrollback.engine.targets.OperationContext;
import io.jenkins.plugins.deployrollback.engine.targets.ReleaseIntegrity;
import io.jenkins.plugins.deployrollback.engine.targets.Retrying;
import io.jenkins.plugins.deployrollback.engine.targets.SharedPath;
import io.jenkins.plugins.deployrollback.engine.targets.StagedRelease;
import io.jenkins.plugins.deployrollback.engine.targets.TargetConflictException;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLayout;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLock;
import io.jenkins.plugins.deployrollback.engine.targets.TargetSession;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    private final HostSteps steps;
    private final InspectOutput inspectOutput;
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
        this.steps = new HostSteps(target, context, pause);
        this.inspectOutput = new InspectOutput(target);
    }

    @Override
    public String target() {
        return target.name();
    }

    private String root() {
        return target.root();
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
        if (known != null && lock != null && !lock.lost()) {
            return new TargetState(
                    known.target(),
                    known.current(),
                    known.releases(),
                    lock.info(),
                    known.problems(),
                    known.slots(),
                    known.lastSwitch());
        }
        ControlShell.Result result = steps.attempt("inspect", c -> steps.check(c, Scripts.INSPECT, "inspect"));
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
        ControlShell.Result result = steps.attempt("read the ledger", c -> steps.check(c, Scripts.LEDGER, "ledger"));
        return JsonLines.parse(
                target.name() + ":" + root() + "/" + TargetLayout.LEDGER,
                result.out().getBytes(StandardCharsets.UTF_8),
                LedgerEntry.class,
                new ArrayList<>());
    }

    // ---- lock ----------------------------------------------------------------------------------

    /**
     * Takes the lock ({@link SshLock#take}) and keeps the state its one round trip printed, which the
     * next {@link #inspect()} returns.
     */
    @Override
    public TargetLock lock(String purpose, Duration ttl, String forcedBy) throws IOException {
        SshLock.Taken taken = SshLock.take(
                steps, target, context, inspectOutput, this::changed, purpose, ttl, forcedBy, lock -> held = lock);
        if (taken.state() != null) {
            inspected(inspectOutput.state(taken.state()));
        }
        return taken.lock();
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
                steps.attempt("prepare", c -> steps.check(c, Scripts.PREPARE, "prepare"));
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
            steps.attempt("stage " + release.id(), c -> {
                if (staging[0] != null) {
                    steps.script(c, Scripts.REMOVE_STAGING, "clean-staging", staging[0]);
                }
                staging[0] = release.id() + "." + UUID.randomUUID();
                upload(c, release, source, plan, staging[0]);
                return null;
            });
        } catch (IOException | RuntimeException e) {
            if (staging[0] != null) {
                try {
                    steps.attempt(
                            "clean up", c -> steps.script(c, Scripts.REMOVE_STAGING, "clean-staging", staging[0]));
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
        ControlShell.Result finished = steps.script(c, Scripts.FINISH_UPLOAD, "verify", name, name + ".plan");
        if (finished.status() == 54) {
            String path = finished.err().trim();
            throw new TargetConflictException("Shared file shared/" + path + " does not exist on " + target.name()
                    + " (" + target.address() + "/" + TargetLayout.SHARED + "/" + path
                    + "). Create it there first: shared files survive releases and are not part of any artifact.");
        }
        if (!finished.ok()) {
            throw steps.failed("verifying " + release.id(), finished);
        }
        SftpTransfer.verifyOnHost(target.name(), context.progress(), release.content(), finished.out());
        steps.check(
                c,
                Scripts.COMMIT_STAGE,
                "commit",
                name,
                release.id().value(),
                name + ".manifest",
                steps.ledgerLine(
                        LedgerEntry.STAGE, null, release.id(), release.content().summary()));
    }

    // ---- switch --------------------------------------------------------------------------------

    @Override
    public void switchTo(ReleaseId release) throws IOException {
        String temporary = ".current-" + UUID.randomUUID();
        // What current points to, as this session last saw it: when right, the switch records itself.
        ReleaseId expected = lastCurrent;
        String expectedLink = expected == null ? "" : TargetLayout.RELEASES + "/" + expected;
        LedgerEntry recorded = context.ledgerEntry(LedgerEntry.SWITCH, expected, release, null);
        String record = Json.mapper().writeValueAsString(recorded);
        TargetState known = inspected;
        changed();
        ControlShell.Result result = steps.attempt(
                "switch to " + release,
                c -> steps.script(c, Scripts.SWITCH, "switch", release.value(), temporary, expectedLink, record));
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
            default -> throw steps.failed("switch to " + release, result);
        }
        lastCurrent = release;
        if (result.out().endsWith("\nL")) {
            // current pointed where this session last saw it, so nothing but this switch changed.
            inspected = known == null || held == null ? null : known.switchedTo(release, recorded);
            return;
        }
        ReleaseId before = result.out().isEmpty() ? null : TargetLayout.releaseOfLink(result.out());
        steps.attempt(
                "record the switch",
                c -> steps.check(
                        c,
                        Scripts.APPEND_LEDGER,
                        "ledger",
                        steps.ledgerLine(LedgerEntry.SWITCH, before, release, null)));
    }

    @Override
    public void pointSlot(String slot, ReleaseId release) throws IOException {
        changed();
        if (!Strategy.BlueGreen.SLOTS.contains(slot)) {
            throw new IllegalArgumentException("no slot " + slot + ": slots are " + Strategy.BlueGreen.SLOTS);
        }
        String temporary = "." + slot + "-" + UUID.randomUUID();
        ControlShell.Result result = steps.attempt(
                "point slot " + slot + " to " + release,
                c -> steps.script(c, Scripts.POINT_SLOT, "slot", release.value(), slot, temporary));
        switch (result.status()) {
            case 0 -> {}
            case 30 ->
                throw new IOException("Release " + release + " is not present on " + target.name() + " (no releases/"
                        + release + "): it has to be staged before a slot can hold it");
            case 31 ->
                throw new TargetConflictException(target.address() + "/" + TargetLayout.slot(slot)
                        + " is not a link: move it away so that it can be pointed atomically");
            default -> throw steps.failed("point slot " + slot + " to " + release, result);
        }
        ReleaseId before = result.out().isEmpty() ? null : TargetLayout.releaseOfLink(result.out());
        steps.attempt(
                "record the slot",
                c -> steps.check(
                        c, Scripts.APPEND_LEDGER, "ledger", steps.ledgerLine(LedgerEntry.SLOT, before, release, slot)));
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
        return new RemoteHook(steps.connection(), hook, mode, environment)
                .run(
                        root() + "/" + TargetLayout.RELEASES + "/" + release,
                        output,
                        pid -> {
                            if (held != null) {
                                held.hookRunning(new LockInfo.RunningHook(hook.name(), pid, null));
                            }
                        },
                        () -> held != null && held.lost(),
                        () -> {
                            if (held != null && !held.lost()) {
                                held.hookRunning(null);
                            }
                        });
    }

    // ---- archive and removal -------------------------------------------------------------------

    @Override
    public ReleaseIntegrity verifyRelease(ReleaseId release) throws IOException {
        ControlShell.Result result = steps.attempt(
                "verify releases/" + release,
                c -> steps.check(c, Scripts.VERIFY_RELEASE, "verify-release", release.value()));
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
        ControlShell.Result result = steps.attempt(
                "check releases/" + id,
                c -> steps.check(c, Scripts.CHECK_FINGERPRINT, "check-fingerprint", id.value()));
        return result.out().trim().equals("same");
    }

    @Override
    public void archiveFailed(ReleaseId release, int keepFailed) throws IOException {
        changed();
        String name = ARCHIVE_STAMP.format(context.clock().instant()) + "-" + release;
        ControlShell.Result result = steps.attempt(
                "archive " + release,
                c -> steps.script(
                        c,
                        Scripts.ARCHIVE,
                        "archive",
                        release.value(),
                        name,
                        Integer.toString(keepFailed),
                        steps.ledgerLine(LedgerEntry.ARCHIVE, null, release, TargetLayout.FAILED + "/" + name)));
        refuseIfLive(result, release, "archive");
    }

    @Override
    public void remove(ReleaseId release) throws IOException {
        changed();
        ControlShell.Result result = steps.attempt(
                "remove " + release,
                c -> steps.script(
                        c,
                        Scripts.REMOVE,
                        "remove",
                        release.value(),
                        "removing-" + release + "." + UUID.randomUUID(),
                        steps.ledgerLine(LedgerEntry.REMOVE, null, release, null)));
        refuseIfLive(result, release, "remove");
    }

    private void refuseIfLive(ControlShell.Result result, ReleaseId release, String what) throws IOException {
        if (result.status() == 40) {
            throw new IllegalStateException(
                    "Refusing to " + what + " release " + release + " on " + target.name() + ": it is live");
        }
        if (!result.ok()) {
            throw steps.failed(what + " " + release, result);
        }
    }

    @Override
    public void close() {
        steps.close();
    }
}
