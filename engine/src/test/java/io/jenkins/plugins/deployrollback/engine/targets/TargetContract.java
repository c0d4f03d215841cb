package io.jenkins.plugins.deployrollback.engine.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.hook.Hook;
import io.jenkins.plugins.deployrollback.engine.hook.HookMode;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.hook.RunOn;
import io.jenkins.plugins.deployrollback.engine.release.ArtifactSource;
import io.jenkins.plugins.deployrollback.engine.release.ChecksumMismatchException;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseReader;
import io.jenkins.plugins.deployrollback.engine.support.FileTrees;
import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.testing.FileTreeSnapshot;
import io.jenkins.plugins.deployrollback.engine.testing.ManualClock;
import io.jenkins.plugins.deployrollback.engine.testing.RecordingProgress;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What every {@link Target} promises, whatever it is: one suite run against each kind of target by a
 * subclass that only says how to make one ({@code LocalTargetContractTest}, the SSH target's IT).
 *
 * <p>Tests act only through {@link Target} and {@link TargetSession}, and check the result in the
 * target's root folder with java.nio: the target under test must install into {@code root}, a folder
 * on this machine (an SSH target reaches it through a loopback sshd). Where a test must play another
 * operation (a lock written by someone else, a half-unpacked release left by a crash), it writes the
 * files of {@link TargetLayout} in their documented formats, never through an implementation class.
 * Hooks run on the target, so facts about the target's processes are asked of the target by a hook.
 */
public abstract class TargetContract {
    private static final EnvironmentName STAGING = EnvironmentName.of("staging");
    private static final ReleaseId R1 = ReleaseId.of("r1");
    private static final ReleaseId R2 = ReleaseId.of("r2");
    private static final Duration TTL = Duration.ofMinutes(30);
    private static final String RUN = "#!/bin/sh\necho running\n";

    /**
     * A hook command that ends with 0 once the process {@code $CHILD} no longer runs on the target,
     * with 1 if it still runs 10 s later. A killed process whose parent died too stays a zombie until
     * whoever adopted it reaps it; it runs no more, so it counts as gone.
     */
    private static final String AWAIT_CHILD_GONE = "i=0; while [ $i -lt 500 ]; do"
            + " state=$(sed -n 's/^.*) \\(.\\).*$/\\1/p' /proc/$CHILD/stat 2>/dev/null);"
            + " if [ -z \"$state\" ] || [ \"$state\" = Z ]; then exit 0; fi;"
            + " sleep 0.02; i=$((i+1)); done; exit 1";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final RecordingProgress progress = new RecordingProgress();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T14:02:11Z"));
    private final Deque<TargetSession> opened = new ArrayDeque<>();
    private final List<String> hookOutput = Collections.synchronizedList(new ArrayList<>());
    private Path root;
    private Target target;
    private ReleaseFolders releases;
    private TargetSession session;

    /**
     * The target under test, called {@code name}, installing releases into {@code root}: an empty
     * folder on this machine that the test reads and writes directly. Called before each test, ahead
     * of a subclass's own {@code @Before} methods: start what the target needs (an sshd) in a class
     * rule or here.
     */
    protected abstract Target newTarget(String name, Path root) throws Exception;

    @Before
    public void setUpTarget() throws Exception {
        root = temp.newFolder("web-1").toPath();
        target = newTarget("web-1", root);
        releases = new ReleaseFolders(temp.newFolder("artifacts").toPath());
        session = open("alice");
    }

    @After
    public void closeSessions() throws IOException {
        while (!opened.isEmpty()) {
            opened.pop().close();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** A session of {@code actor}'s deploy to staging, closed after the test. */
    private TargetSession open(String actor) throws IOException {
        TargetSession opening = target.open(new OperationContext(STAGING, Operation.DEPLOY, actor, clock, progress));
        opened.push(opening);
        return opening;
    }

    private ReleaseFolders.Prepared release(String id) throws Exception {
        return releases.prepare(
                id, Map.of("index.html", "release " + id + "\n", "assets/app.js", "console.log('" + id + "')\n"));
    }

    private ReleaseFolders.Prepared staged(String id) throws Exception {
        ReleaseFolders.Prepared prepared = release(id);
        session.stage(prepared.release(), prepared.source(), List.of());
        return prepared;
    }

    /** Release {@code id} read from {@code folder}, as the build left it. */
    private static ReleaseFolders.Prepared releaseOf(String id, Path folder) throws IOException {
        ArtifactSource source = ArtifactSource.of(folder);
        Release release = new Release(ReleaseId.of(id), "v-" + id, "build-" + id, Set.of(), ReleaseReader.read(source));
        return new ReleaseFolders.Prepared(release, source);
    }

    private List<String> events() throws Exception {
        return session.ledger().stream()
                .map(e -> e.event() + " " + e.from() + " -> " + e.to())
                .toList();
    }

    private List<String> ls(String folder) throws Exception {
        try (var files = Files.list(root.resolve(folder))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Writes {@code lock} to {@code .deploy/lock} in one rename, as another operation would. */
    private void lockHeldBy(LockInfo lock) throws IOException {
        Path file = root.resolve(TargetLayout.LOCK);
        Files.createDirectories(file.getParent());
        Path written = file.resolveSibling("lock.by-another-operation");
        Files.write(written, Json.mapper().writeValueAsBytes(lock));
        Files.move(written, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A lock of carol's, on another machine, for {@code since} to {@code expires}. */
    private static LockInfo carolsLock(String since, String expires) {
        return new LockInfo(
                "carol",
                "build-7",
                4242,
                null,
                "deploy r3 to staging",
                "their-token",
                Instant.parse(since),
                Instant.parse(expires),
                null);
    }

    private LockInfo lockOnDisk() throws IOException {
        return Json.mapper().readValue(Files.readAllBytes(root.resolve(TargetLayout.LOCK)), LockInfo.class);
    }

    private HookRun runHook(String command, Duration timeout, Map<String, String> variables) throws Exception {
        Hook hook = new Hook("check", HookPhase.AFTER_SWITCH, RunOn.BOTH, command, timeout);
        return session.runHook(hook, HookMode.DEPLOY, R1, variables, hookOutput::add);
    }

    private HookRun runHook(String command) throws Exception {
        return runHook(command, Duration.ofSeconds(30), Map.of());
    }

    // ---- stage ---------------------------------------------------------------------------------

    @Test
    public void stagedReleaseAppearsWholeWithItsManifestAndALedgerLine() throws Exception {
        ReleaseFolders.Prepared r1 = release("r1");

        boolean written = session.stage(r1.release(), r1.source(), List.of());

        assertThat(written).isTrue();
        assertThat(root.resolve("releases/r1/index.html")).hasContent("release r1");
        assertThat(root.resolve("releases/r1/assets/app.js")).hasContent("console.log('r1')");
        assertThat(root.resolve(".deploy/manifests/r1"))
                .hasContent(r1.release().content().manifest());
        assertThat(ls(".deploy/staging")).isEmpty();
        assertThat(root.resolve("current")).doesNotExist();
        assertThat(session.ledger()).singleElement().satisfies(e -> {
            assertThat(e.event()).isEqualTo(LedgerEntry.STAGE);
            assertThat(e.at()).isEqualTo(clock.instant());
            assertThat(e.to()).isEqualTo(R1);
            assertThat(e.actor()).isEqualTo("alice");
            assertThat(e.environment()).isEqualTo(STAGING);
            assertThat(e.operation()).isEqualTo("deploy");
            assertThat(e.detail()).isEqualTo(r1.release().content().summary());
        });
        TargetState state = session.inspect();
        assertThat(state.target()).isEqualTo("web-1");
        assertThat(state.releases()).extracting(StagedRelease::id).containsExactly(R1);
        assertThat(state.holds(R1, r1.release().content().digest())).isTrue();
        assertThat(state.problems()).isEmpty();
    }

    @Test
    public void stagedReleaseKeepsExecutableBitsAndLinksExactlyAsBuilt() throws Exception {
        Path built = releases.folder("r1", Map.of("index.html", "release r1\n", "bin/run", RUN));
        Files.setPosixFilePermissions(built.resolve("bin/run"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(built.resolve("index.html"), PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(built.resolve("latest"), Path.of("index.html"));
        Files.createSymbolicLink(built.resolve("bin/home"), Path.of(".."));
        ReleaseFolders.Prepared r1 = releaseOf("r1", built);

        session.stage(r1.release(), r1.source(), List.of());

        Path staged = root.resolve("releases/r1");
        assertThat(Files.getPosixFilePermissions(staged.resolve("bin/run")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Files.getPosixFilePermissions(staged.resolve("index.html")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Files.readSymbolicLink(staged.resolve("latest"))).isEqualTo(Path.of("index.html"));
        assertThat(Files.readSymbolicLink(staged.resolve("bin/home"))).isEqualTo(Path.of(".."));
        assertThat(staged.resolve("bin/home/latest")).hasContent("release r1");
        assertThat(ReleaseReader.read(ArtifactSource.of(staged)).digest())
                .isEqualTo(r1.release().content().digest());
    }

    @Test
    public void stagingTheSameReleaseAgainIsSkippedWithoutALedgerLine() throws Exception {
        ReleaseFolders.Prepared r1 = staged("r1");
        List<String> before = FileTreeSnapshot.of(root);

        boolean written = session.stage(r1.release(), r1.source(), List.of());

        assertThat(written).isFalse();
        assertThat(FileTreeSnapshot.of(root)).isEqualTo(before);
        assertThat(events()).containsExactly("stage null -> r1");
    }

    @Test
    public void releaseUnchangedSinceStagedIsKeptWithoutAskingForItsArtifacts() throws Exception {
        ReleaseFolders.Prepared r1 = staged("r1");
        List<String> before = FileTreeSnapshot.of(root);
        AtomicBoolean artifactsAskedFor = new AtomicBoolean();

        boolean written = session.stage(
                r1.release(),
                () -> {
                    artifactsAskedFor.set(true);
                    return r1.source();
                },
                List.of());

        assertThat(written).isFalse();
        assertThat(artifactsAskedFor).isFalse();
        assertThat(FileTreeSnapshot.of(root)).isEqualTo(before);
        assertThat(session.inspect().holds(R1, r1.release().content().digest())).isTrue();
    }

    @Test
    public void releaseChangedOnTheTargetIsMovedToFailedAndStagedAgainFromItsArtifacts() throws Exception {
        ReleaseFolders.Prepared r1 = staged("r1");
        // What someone with a shell on the host did: the same size, the old modification time.
        Path page = root.resolve("releases/r1/index.html");
        FileTime modified = Files.getLastModifiedTime(page);
        Files.writeString(page, "defaced r1\n".substring(0, "release r1\n".length()));
        Files.setLastModifiedTime(page, modified);

        boolean written = session.stage(r1.release(), r1.source(), List.of());

        assertThat(written).isTrue();
        assertThat(page).hasContent("release r1");
        assertThat(ls(".deploy/failed")).hasSize(1);
        assertThat(root.resolve(".deploy/failed")
                        .resolve(ls(".deploy/failed").get(0))
                        .resolve("index.html"))
                .content()
                .startsWith("defaced");
        assertThat(events()).containsExactly("stage null -> r1", "archive null -> r1", "stage null -> r1");
        assertThat(progress.warnings())
                .anyMatch(w -> w.contains("web-1: releases/r1 was changed on this target after it was staged"));
        assertThat(session.stage(r1.release(), r1.source(), List.of())).isFalse();
    }

    @Test
    public void releaseChangedAfterTheLockHolderLookedIsStillCaughtWhenStagedAgain() throws Exception {
        ReleaseFolders.Prepared r1 = staged("r1");
        try (TargetLock lock = session.lock("deploy r1 to staging", Duration.ofMinutes(5))) {
            assertThat(session.inspect().holds(R1, r1.release().content().digest()))
                    .isTrue();
            Path page = root.resolve("releases/r1/index.html");
            FileTime modified = Files.getLastModifiedTime(page);
            Files.writeString(page, "defaced r1\n".substring(0, "release r1\n".length()));
            Files.setLastModifiedTime(page, modified);

            assertThat(session.stage(r1.release(), r1.source(), List.of())).isTrue();

            assertThat(page).hasContent("release r1");
            assertThat(progress.warnings())
                    .anyMatch(w -> w.contains("web-1: releases/r1 was changed on this target after it was staged"));
        }
    }

    @Test
    public void releaseRemovedAfterTheLockHolderLookedIsStagedAgainFromItsArtifacts() throws Exception {
        ReleaseFolders.Prepared r1 = staged("r1");
        try (TargetLock lock = session.lock("deploy r1 to staging", Duration.ofMinutes(5))) {
            assertThat(session.inspect().release(R1)).isPresent();
            FileTrees.delete(root.resolve("releases/r1"));

            assertThat(session.stage(r1.release(), r1.source(), List.of())).isTrue();

            assertThat(root.resolve("releases/r1/index.html")).hasContent("release r1");
        }
    }

    @Test
    public void changedReleaseWhoseArtifactsAreNotKeptIsRefusedAndLeftAsItIs() throws Exception {
        ReleaseFolders.Prepared r1 = staged("r1");
        Files.writeString(root.resolve("releases/r1/extra.html"), "added on the host\n");
        List<String> before = FileTreeSnapshot.of(root);

        assertThatThrownBy(() -> session.stage(
                        r1.release(),
                        () -> {
                            throw new IOException("The artifacts of release r1 are not kept");
                        },
                        List.of()))
                .hasMessageContaining("not kept");
        assertThat(FileTreeSnapshot.of(root)).isEqualTo(before);
    }

    @Test
    public void verifyingAReleaseReadsEveryFileAndNamesTheOnesThatDifferChangingNothing() throws Exception {
        staged("r1");
        staged("r2");
        session.switchTo(R2);
        assertThat(session.verifyRelease(R1).intact()).isTrue();
        Files.writeString(root.resolve("releases/r1/assets/app.js"), "console.log('owned')\n");
        Files.writeString(root.resolve("releases/r2/cache.tmp"), "written while live\n");
        List<String> before = FileTreeSnapshot.of(root);

        ReleaseIntegrity r1 = session.verifyRelease(R1);
        ReleaseIntegrity r2 = session.verifyRelease(R2);

        assertThat(r1.intact()).isFalse();
        assertThat(r1.differing()).containsExactly("assets/app.js");
        assertThat(r1.describe()).startsWith("CHANGED: 1 file differs from the manifest (assets/app.js)");
        assertThat(r2.intact()).as("the live release is only held to its files").isTrue();
        assertThat(FileTreeSnapshot.of(root)).isEqualTo(before);
    }

    @Test
    public void verifyingAReleaseNoticesAnAddedFileThroughItsFingerprint() throws Exception {
        staged("r1");
        Files.writeString(root.resolve("releases/r1/shell.php"), "<?php system($_GET['c']);\n");

        ReleaseIntegrity r1 = session.verifyRelease(R1);

        assertThat(r1.differing()).isEmpty();
        assertThat(r1.fingerprintMatches()).isFalse();
        assertThat(r1.describe()).contains("entries were added, removed or touched");
    }

    @Test
    public void whatChangedWhileAReleaseServedIsKeptWhenItIsSwitchedBackTo() throws Exception {
        staged("r1");
        session.switchTo(R1);
        // What a hook or the application did while r1 was live.
        Files.writeString(root.resolve("releases/r1/assets/app.min.js"), "compiled by a hook\n");
        staged("r2");
        session.switchTo(R2);
        ReleaseFolders.Prepared r1 = release("r1");

        boolean written = session.stage(r1.release(), r1.source(), List.of());

        assertThat(written).isFalse();
        assertThat(root.resolve("releases/r1/assets/app.min.js")).hasContent("compiled by a hook");
    }

    @Test
    public void folderWithTheSameIdButOtherContentIsRefusedAndLeftUntouched() throws Exception {
        staged("r1");
        List<String> before = FileTreeSnapshot.of(root);
        ReleaseFolders.Prepared impostor = new ReleaseFolders(
                        temp.newFolder("other-build").toPath())
                .prepare("r1", Map.of("index.html", "something else\n"));

        assertThatThrownBy(() -> session.stage(impostor.release(), impostor.source(), List.of()))
                .isInstanceOf(TargetConflictException.class)
                .hasMessageContaining("Target web-1 already has releases/r1 with other content. Nothing was changed.")
                .hasMessageContaining("Release ids are immutable: deploy under a new release id");

        assertThat(FileTreeSnapshot.of(root)).isEqualTo(before);
    }

    @Test
    public void folderWithTheSameIdNotStagedByUsIsRefusedAndLeftUntouched() throws Exception {
        Files.createDirectories(root.resolve("releases/r1"));
        Files.writeString(root.resolve("releases/r1/hand-made.txt"), "put here by hand");
        List<String> before = FileTreeSnapshot.of(root);
        ReleaseFolders.Prepared r1 = release("r1");

        assertThatThrownBy(() -> session.stage(r1.release(), r1.source(), List.of()))
                .isInstanceOf(TargetConflictException.class)
                .hasMessageContaining("already has releases/r1 with content not staged by Deploy Rollback");

        assertThat(FileTreeSnapshot.of(root).stream()
                        .filter(l -> l.contains("r1"))
                        .toList())
                .isEqualTo(before.stream().filter(l -> l.contains("r1")).toList());
    }

    @Test
    public void failedStagingLeavesNoReleaseFolderNoManifestAndNoLeftovers() throws Exception {
        ReleaseFolders.Prepared r1 = release("r1");
        Files.writeString(r1.source().path().resolve("index.html"), "changed after it was read\n");

        assertThatThrownBy(() -> session.stage(r1.release(), r1.source(), List.of()))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining("\"index.html\"");

        assertThat(root.resolve("releases/r1")).doesNotExist();
        assertThat(root.resolve(".deploy/manifests/r1")).doesNotExist();
        assertThat(ls(".deploy/staging")).isEmpty();
        assertThat(session.ledger()).isEmpty();
    }

    @Test
    public void sharedPathsBecomeRelativeLinksIntoSharedAndSurviveTheNextRelease() throws Exception {
        Files.createDirectories(root.resolve("shared/config"));
        Files.writeString(root.resolve("shared/config/app.yml"), "db: prod\n");
        List<SharedPath> shared = List.of(SharedPath.parse("logs/"), SharedPath.parse("config/app.yml"));
        ReleaseFolders.Prepared r1 = release("r1");
        ReleaseFolders.Prepared r2 = release("r2");

        session.stage(r1.release(), r1.source(), shared);
        Files.writeString(root.resolve("releases/r1/logs/app.log"), "written by r1\n");
        session.stage(r2.release(), r2.source(), shared);

        assertThat(Files.readSymbolicLink(root.resolve("releases/r1/logs"))).isEqualTo(Path.of("../../shared/logs"));
        assertThat(Files.readSymbolicLink(root.resolve("releases/r2/config/app.yml")))
                .isEqualTo(Path.of("../../../shared/config/app.yml"));
        assertThat(root.resolve("shared/logs/app.log")).hasContent("written by r1");
        assertThat(root.resolve("releases/r2/logs/app.log")).hasContent("written by r1");
        assertThat(root.resolve("releases/r2/config/app.yml")).hasContent("db: prod");
        assertThat(root.resolve("releases/r1/index.html")).hasContent("release r1");
    }

    @Test
    public void sharedPathReplacesReleaseContentAtTheSamePathWithAWarning() throws Exception {
        ReleaseFolders.Prepared r1 =
                releases.prepare("r1", Map.of("index.html", "r1\n", "logs/README", "logs go here\n"));

        session.stage(r1.release(), r1.source(), List.of(SharedPath.parse("logs/")));

        assertThat(Files.isSymbolicLink(root.resolve("releases/r1/logs"))).isTrue();
        assertThat(root.resolve("shared/logs/README")).doesNotExist();
        assertThat(progress.warnings())
                .containsExactly("WARNING Release content at logs is replaced by the link to shared/logs");
    }

    @Test
    public void sharedFileMissingFromSharedIsRefusedSayingToCreateIt() throws Exception {
        ReleaseFolders.Prepared r1 = release("r1");

        assertThatThrownBy(() -> session.stage(r1.release(), r1.source(), List.of(SharedPath.parse("config/app.yml"))))
                .isInstanceOf(TargetConflictException.class)
                .hasMessageContaining("Shared file shared/config/app.yml does not exist on web-1")
                .hasMessageContaining(
                        "Create it there first: shared files survive releases and are not part of any artifact.");

        assertThat(root.resolve("releases/r1")).doesNotExist();
        assertThat(ls(".deploy/staging")).isEmpty();
        assertThat(root.resolve("shared/config/app.yml")).doesNotExist();
        assertThat(session.ledger()).isEmpty();
    }

    @Test
    public void sharedPathBeneathALinkOfTheReleaseIsRefusedAndNothingIsStaged() throws Exception {
        Path built = releases.folder("r1", Map.of("index.html", "release r1\n", "var/README", "var\n"));
        Files.createSymbolicLink(built.resolve("data"), Path.of("var"));
        ReleaseFolders.Prepared r1 = releaseOf("r1", built);

        assertThatThrownBy(() -> session.stage(r1.release(), r1.source(), List.of(SharedPath.parse("data/uploads/"))))
                .isInstanceOf(TargetConflictException.class)
                .hasMessageContaining("Shared path data/uploads/ lies beneath the link data of the release");

        assertThat(root.resolve("releases/r1")).doesNotExist();
        assertThat(root.resolve(".deploy/manifests/r1")).doesNotExist();
        assertThat(ls(".deploy/staging")).isEmpty();
        assertThat(session.ledger()).isEmpty();
    }

    // ---- switch --------------------------------------------------------------------------------

    @Test
    public void switchPointsCurrentToTheReleaseWithARelativeLinkAndRecordsFromAndTo() throws Exception {
        staged("r1");
        staged("r2");

        session.switchTo(R1);
        session.switchTo(R2);

        assertThat(Files.readSymbolicLink(root.resolve("current"))).isEqualTo(Path.of("releases/r2"));
        assertThat(root.resolve("current/index.html")).hasContent("release r2");
        assertThat(session.inspect().current()).isEqualTo(R2);
        assertThat(events())
                .containsExactly("stage null -> r1", "stage null -> r2", "switch null -> r1", "switch r1 -> r2");
        assertThat(session.ledger())
                .filteredOn(e -> e.event().equals(LedgerEntry.SWITCH))
                .allSatisfy(e -> {
                    assertThat(e.actor()).isEqualTo("alice");
                    assertThat(e.environment()).isEqualTo(STAGING);
                    assertThat(e.operation()).isEqualTo("deploy");
                });
        // no temporary link is left beside current
        assertThat(ls("."))
                .isSubsetOf(TargetLayout.DEPLOY, TargetLayout.CURRENT, TargetLayout.RELEASES, TargetLayout.SHARED);
    }

    @Test
    public void theSwitchRecordsWhereCurrentReallyPointedWhenItMovedSinceTheLastLook() throws Exception {
        staged("r1");
        staged("r2");
        staged("r3");
        session.switchTo(R1);
        assertThat(session.inspect().current()).isEqualTo(R1);
        // Someone with a shell on the host points current elsewhere, as the switch does.
        Path moved = root.resolve(".current-by-hand");
        Files.createSymbolicLink(moved, Path.of("releases/r2"));
        Files.move(moved, root.resolve("current"), StandardCopyOption.ATOMIC_MOVE);

        session.switchTo(ReleaseId.of("r3"));

        assertThat(events()).endsWith("switch null -> r1", "switch r2 -> r3");
        assertThat(Files.readSymbolicLink(root.resolve("current"))).isEqualTo(Path.of("releases/r3"));
    }

    @Test
    public void currentIsNeverMissingWhileItIsSwitchedFiveHundredTimes() throws Exception {
        staged("r1");
        staged("r2");
        session.switchTo(R1);
        Path current = root.resolve("current");
        AtomicBoolean switching = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(
                () -> {
                    while (switching.get()) {
                        try {
                            String link = Files.readSymbolicLink(current).toString();
                            if (!link.equals("releases/r1") && !link.equals("releases/r2")) {
                                failures.add("current -> " + link);
                            }
                            if (!Files.exists(current.resolve("index.html"))) {
                                failures.add("current/index.html missing while current -> " + link);
                            }
                            reads.incrementAndGet();
                        } catch (NoSuchFileException e) {
                            failures.add("current missing");
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                },
                "current-reader");
        reader.start();

        try {
            for (int i = 0; i < 500; i++) {
                session.switchTo(i % 2 == 0 ? R2 : R1);
            }
        } finally {
            switching.set(false);
            reader.join();
        }

        assertThat(failures).isEmpty();
        assertThat(reads.get()).isGreaterThan(500);
        assertThat(Files.readSymbolicLink(current)).isEqualTo(Path.of("releases/r1"));
        assertThat(session.ledger())
                .filteredOn(e -> e.event().equals(LedgerEntry.SWITCH))
                .hasSize(501);
    }

    @Test
    public void switchingToAnAbsentReleaseFailsAndLeavesCurrent() throws Exception {
        staged("r1");
        session.switchTo(R1);

        assertThatThrownBy(() -> session.switchTo(R2))
                .hasMessageContaining(
                        "Release r2 is not present on web-1 (no releases/r2): it has to be staged before it can go live");

        assertThat(Files.readSymbolicLink(root.resolve("current"))).isEqualTo(Path.of("releases/r1"));
        assertThat(events()).containsExactly("stage null -> r1", "switch null -> r1");
    }

    @Test
    public void currentThatIsNotALinkIsNeverReplaced() throws Exception {
        staged("r1");
        Files.createDirectories(root.resolve("current"));
        Files.writeString(root.resolve("current/index.html"), "served by hand");

        assertThatThrownBy(() -> session.switchTo(R1))
                .isInstanceOf(TargetConflictException.class)
                .hasMessageContaining("is not a link: move it away so that it can be switched atomically");

        assertThat(root.resolve("current/index.html")).hasContent("served by hand");
        assertThat(session.inspect().problems())
                .containsExactly("current is not a link: deploys need it to be one (move it away)");
        assertThat(events()).containsExactly("stage null -> r1");
    }

    // ---- inspect -------------------------------------------------------------------------------

    @Test
    public void inspectReportsWhatIsOddWithoutChangingAnything() throws Exception {
        staged("r1");
        Files.createDirectories(root.resolve("releases/.tmp"));
        Files.createSymbolicLink(root.resolve("current"), Path.of("releases/r7"));
        List<String> before = FileTreeSnapshot.of(root);

        TargetState state = session.inspect();

        assertThat(state.current()).isEqualTo(ReleaseId.of("r7"));
        assertThat(state.releases()).extracting(StagedRelease::id).containsExactly(R1);
        assertThat(state.problems())
                .containsExactlyInAnyOrder(
                        "current points to releases/r7, which is missing",
                        "releases/.tmp is not a release folder (its name is not a release id)");
        assertThat(FileTreeSnapshot.of(root)).isEqualTo(before);
    }

    // ---- archive and removal -------------------------------------------------------------------

    @Test
    public void inspectOfAHostWithYearsOfLedgerKnowsEachReleasesLastUseAndTheLastSwitch() throws Exception {
        staged("r1");
        clock.advance(Duration.ofMinutes(1));
        staged("r2");
        clock.advance(Duration.ofMinutes(1));
        session.switchTo(R1);
        clock.advance(Duration.ofMinutes(1));
        session.switchTo(R2);
        // Twenty thousand operations of other releases, long gone, before the newest lines.
        List<LedgerEntry> old = session.ledger();
        StringBuilder history = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            ReleaseId gone = ReleaseId.of("old-" + i);
            history.append(Json.mapper()
                            .writeValueAsString(new LedgerEntry(
                                    Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i),
                                    i % 2 == 0 ? LedgerEntry.STAGE : LedgerEntry.SWITCH,
                                    STAGING,
                                    "deploy",
                                    "alice",
                                    null,
                                    gone,
                                    null)))
                    .append('\n');
        }
        for (LedgerEntry entry : old) {
            history.append(Json.mapper().writeValueAsString(entry)).append('\n');
        }
        Files.writeString(root.resolve(TargetLayout.LEDGER), history.toString());

        TargetState state = session.inspect();

        LedgerEntry lastSwitch = old.stream()
                .filter(e -> e.event().equals(LedgerEntry.SWITCH))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(state.lastSwitch()).isEqualTo(lastSwitch);
        assertThat(state.releases())
                .extracting(StagedRelease::id, StagedRelease::lastUsed)
                .containsExactly(tuple(R1, old.get(2).at()), tuple(R2, lastSwitch.at()));
        assertThat(state.problems()).isEmpty();
    }

    @Test
    public void inspectNamesAnUnreadableLedgerLineAndATornLastOneByTheirNumbers() throws Exception {
        staged("r1");
        session.switchTo(R1);
        String lines = Files.readString(root.resolve(TargetLayout.LEDGER));
        // Read from its end back to r1's last use: the unreadable line lies within what is read.
        Files.writeString(root.resolve(TargetLayout.LEDGER), lines + "not a record\n\n{\"at\":\"2026-12");

        TargetState state = session.inspect();

        assertThat(state.current()).isEqualTo(R1);
        assertThat(state.lastSwitch()).isNotNull();
        assertThat(state.problems())
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("ledger: line 3 is unreadable and was ignored"))
                .anySatisfy(p -> assertThat(p)
                        .contains("ledger: the last record (line 5, 14 bytes) is incomplete, left by a writer that"
                                + " was interrupted; it was ignored"));
    }

    @Test
    public void archivedFailedReleasesMoveToFailedAndOnlyTheNewestAreKept() throws Exception {
        staged("r1");
        session.switchTo(R1);
        for (String id : List.of("r9", "r2", "r5")) {
            staged(id);
        }

        for (String id : List.of("r9", "r2", "r5")) {
            clock.advance(Duration.ofMinutes(1));
            session.archiveFailed(ReleaseId.of(id), 2);
        }

        assertThat(ls(".deploy/failed")).containsExactly("20261123T140411.000Z-r2", "20261123T140511.000Z-r5");
        assertThat(root.resolve(".deploy/failed/20261123T140511.000Z-r5/index.html"))
                .hasContent("release r5");
        assertThat(ls("releases")).containsExactly("r1");
        assertThat(ls(".deploy/manifests")).containsExactly("r1");
        assertThat(session.ledger())
                .filteredOn(e -> e.event().equals(LedgerEntry.ARCHIVE))
                .extracting(LedgerEntry::detail)
                .containsExactly(
                        ".deploy/failed/20261123T140311.000Z-r9",
                        ".deploy/failed/20261123T140411.000Z-r2",
                        ".deploy/failed/20261123T140511.000Z-r5");
    }

    @Test
    public void removedReleaseLeavesNoFolderNoManifestAndALedgerLine() throws Exception {
        staged("r1");
        staged("r2");
        session.switchTo(R2);

        session.remove(R1);

        assertThat(ls("releases")).containsExactly("r2");
        assertThat(ls(".deploy/manifests")).containsExactly("r2");
        assertThat(ls(".deploy/staging")).isEmpty();
        assertThat(events()).endsWith("remove null -> r1");
    }

    @Test
    public void liveReleaseIsNeverRemovedNorArchived() throws Exception {
        staged("r1");
        session.switchTo(R1);
        List<String> before = FileTreeSnapshot.of(root);

        assertThatThrownBy(() -> session.remove(R1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Refusing to remove release r1 on web-1: it is live");
        assertThatThrownBy(() -> session.archiveFailed(R1, 3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Refusing to archive release r1 on web-1: it is live");

        assertThat(FileTreeSnapshot.of(root)).isEqualTo(before);
    }

    // ---- lock ----------------------------------------------------------------------------------

    @Test
    public void lockRecordsOwnerPurposeSinceAndExpiryAndIsGoneOnceClosed() throws Exception {
        try (TargetLock lock = session.lock("deploy r1 to staging", TTL)) {
            LockInfo onDisk = lockOnDisk();

            assertThat(onDisk).isEqualTo(lock.info());
            assertThat(onDisk.owner()).isEqualTo("alice");
            assertThat(onDisk.purpose()).isEqualTo("deploy r1 to staging");
            assertThat(onDisk.since()).isEqualTo(clock.instant());
            assertThat(onDisk.expires()).isEqualTo(clock.instant().plus(TTL));
            assertThat(onDisk.token()).isNotBlank();
            assertThat(session.inspect().lock()).isEqualTo(lock.info());
        }
        assertThat(root.resolve(".deploy/lock")).doesNotExist();
        assertThat(session.inspect().lock()).isNull();
    }

    @Test
    public void secondLockIsRefusedNamingTheHolderHostPidAndSince() throws Exception {
        try (TargetLock held = session.lock("deploy r1 to staging", TTL)) {
            clock.advance(Duration.ofMinutes(1));

            assertThatThrownBy(() -> open("bob").lock("deploy r2 to staging", TTL))
                    .isInstanceOf(TargetLockedException.class)
                    .hasMessageContaining(
                            "Target web-1 is locked by alice on " + held.info().host() + " (pid "
                                    + held.info().pid()
                                    + "), deploy r1 to staging, since 2026-11-23T14:02:11Z (expires 2026-11-23T14:32:11Z). Nothing was changed.")
                    .satisfies(e ->
                            assertThat(((TargetLockedException) e).holder()).isEqualTo(held.info()));

            assertThat(lockOnDisk()).isEqualTo(held.info());
        }
    }

    @Test
    public void lockCanBeTakenOnceTheHolderClosedIt() throws Exception {
        session.lock("deploy r1 to staging", TTL).close();

        try (TargetLock lock = open("bob").lock("deploy r2 to staging", TTL)) {
            assertThat(lockOnDisk().owner()).isEqualTo("bob");
        }
        assertThat(progress.warnings()).isEmpty();
    }

    @Test
    public void lockFromAnotherHostThatHasNotExpiredIsRespected() throws Exception {
        lockHeldBy(carolsLock("2026-11-23T14:00:00Z", "2026-11-23T14:30:00Z"));

        assertThatThrownBy(() -> open("bob").lock("deploy r2 to staging", TTL))
                .isInstanceOf(TargetLockedException.class)
                .hasMessageContaining(
                        "locked by carol on build-7 (pid 4242), deploy r3 to staging, since 2026-11-23T14:00:00Z");
        assertThat(lockOnDisk().token()).isEqualTo("their-token");
    }

    @Test
    public void aLiveHoldersLockIsTakenOverOnlyWhenForcedAndTheLedgerSaysByWhom() throws Exception {
        lockHeldBy(carolsLock("2026-11-23T14:00:00Z", "2026-11-23T14:30:00Z"));
        TargetSession bob = open("bob");

        try (TargetLock lock = bob.lock("unlock by bob", TTL, "unlock --force by bob")) {
            assertThat(lockOnDisk()).isEqualTo(lock.info());
        }

        assertThat(root.resolve(TargetLayout.LOCK)).doesNotExist();
        assertThat(progress.warnings())
                .singleElement()
                .asString()
                .startsWith("WARNING Took over the lock of web-1 held by carol on build-7 (pid 4242)")
                .endsWith(": forced: unlock --force by bob");
        assertThat(bob.ledger()).singleElement().satisfies(e -> {
            assertThat(e.event()).isEqualTo(LedgerEntry.LOCK_TAKEOVER);
            assertThat(e.detail()).startsWith("from carol on build-7").endsWith("forced: unlock --force by bob");
        });
    }

    @Test
    public void expiredLockIsTakenOverWithAWarningAndALedgerLine() throws Exception {
        lockHeldBy(carolsLock("2026-11-23T13:00:00Z", "2026-11-23T13:30:00Z"));
        TargetSession bob = open("bob");

        try (TargetLock lock = bob.lock("deploy r2 to staging", TTL)) {
            assertThat(lockOnDisk()).isEqualTo(lock.info());
            assertThat(lock.info().owner()).isEqualTo("bob");
        }

        assertThat(progress.warnings())
                .singleElement()
                .asString()
                .startsWith("WARNING Took over the lock of web-1 held by carol on build-7 (pid 4242)")
                .endsWith(": it expired at 2026-11-23T13:30:00Z");
        assertThat(bob.ledger()).singleElement().satisfies(e -> {
            assertThat(e.event()).isEqualTo(LedgerEntry.LOCK_TAKEOVER);
            assertThat(e.actor()).isEqualTo("bob");
            assertThat(e.detail())
                    .startsWith("from carol on build-7 (pid 4242)")
                    .endsWith("it expired at 2026-11-23T13:30:00Z");
        });
    }

    @Test
    public void refreshPushesTheExpiryForward() throws Exception {
        try (TargetLock lock = session.lock("deploy r1 to staging", TTL)) {
            clock.advance(Duration.ofMinutes(20));

            lock.refresh();

            assertThat(lockOnDisk().expires()).isEqualTo(Instant.parse("2026-11-23T14:52:11Z"));
            assertThat(lockOnDisk().since()).isEqualTo(Instant.parse("2026-11-23T14:02:11Z"));
            assertThat(lock.info()).isEqualTo(lockOnDisk());
        }
    }

    @Test
    public void refreshFailsOnceSomeoneElseTookTheLockOver() throws Exception {
        TargetLock mine = session.lock("deploy r1 to staging", Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(2));
        TargetLock theirs = open("bob").lock("deploy r2 to staging", TTL);

        assertThatThrownBy(mine::refresh)
                .isInstanceOf(LockLostException.class)
                .hasMessageContaining("The lock of web-1 was taken over by bob on "
                        + theirs.info().host());

        assertThat(lockOnDisk()).isEqualTo(theirs.info());
        mine.close();
        theirs.close();
    }

    @Test
    public void closingALockTakenOverLeavesTheNewHoldersLock() throws Exception {
        TargetLock mine = session.lock("deploy r1 to staging", Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(2));
        TargetLock theirs = open("bob").lock("deploy r2 to staging", TTL);

        mine.close();

        assertThat(lockOnDisk()).isEqualTo(theirs.info());
        theirs.close();
        assertThat(root.resolve(".deploy/lock")).doesNotExist();
    }

    @Test
    public void refreshFailsWhenTheLockFileWasRemoved() throws Exception {
        TargetLock mine = session.lock("deploy r1 to staging", TTL);
        Files.delete(root.resolve(".deploy/lock"));

        assertThatThrownBy(mine::refresh)
                .isInstanceOf(LockLostException.class)
                .hasMessageContaining("The lock of web-1 was removed while this deploy held it");
        mine.close();
    }

    @Test
    public void leftoversOfInterruptedOperationsAreRemovedWhenTheLockIsTaken() throws Exception {
        Files.createDirectories(root.resolve(".deploy/staging/r9.1234/assets"));
        Files.writeString(root.resolve(".deploy/staging/r9.1234/assets/app.js"), "half written");
        Files.createDirectories(root.resolve("releases/r1"));
        Files.createSymbolicLink(root.resolve("current"), Path.of("releases/r1"));

        try (TargetLock lock = open("bob").lock("deploy r2 to staging", TTL)) {
            assertThat(root.resolve(".deploy/staging")).isEmptyDirectory();
            assertThat(Files.readSymbolicLink(root.resolve("current"))).isEqualTo(Path.of("releases/r1"));
            assertThat(root.resolve("releases/r1")).isDirectory();
        }
        assertThat(progress.lines())
                .contains("Removing .deploy/staging/r9.1234 on web-1, left by an interrupted operation");
    }

    @Test
    public void underItsLockASessionSeesWhatAFreshLookSeesAfterItsOwnSwitches() throws Exception {
        staged("r1");
        staged("r2");
        try (TargetLock lock = session.lock("deploy r2 to staging", TTL)) {
            assertThat(session.inspect()).isEqualTo(open("bob").inspect());
            session.switchTo(R2);
            clock.advance(Duration.ofSeconds(5));
            session.switchTo(R1);
            clock.advance(Duration.ofSeconds(5));
            lock.refresh();

            TargetState known = session.inspect();
            assertThat(known.current()).isEqualTo(R1);
            assertThat(known.releases()).extracting(StagedRelease::id).containsExactly(R2, R1);
            assertThat(known).isEqualTo(open("bob").inspect());
        }
    }

    @Test
    public void underItsLockASessionLooksAgainAfterAHookRan() throws Exception {
        staged("r1");
        try (TargetLock lock = session.lock("deploy r1 to staging", TTL)) {
            session.switchTo(R1);
            assertThat(session.inspect().releases())
                    .extracting(StagedRelease::id)
                    .containsExactly(R1);

            runHook("mkdir \"$DEPLOY_ROOT/releases/r7\"");

            assertThat(session.inspect().releases())
                    .extracting(StagedRelease::id)
                    .contains(R1, ReleaseId.of("r7"));
        }
    }

    @Test
    public void unreadableLockFileIsNeitherTakenOverNorIgnored() throws Exception {
        Files.createDirectories(root.resolve(".deploy"));
        Files.writeString(root.resolve(".deploy/lock"), "{\"owner\":");

        assertThatThrownBy(() -> open("bob").lock("deploy r2 to staging", TTL))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(".deploy/lock is unreadable")
                .hasMessageContaining("if no operation is running on web-1, remove it");
        assertThat(root.resolve(".deploy/lock")).hasContent("{\"owner\":");
    }

    // ---- hooks ---------------------------------------------------------------------------------

    @Test
    public void hookExitStatusAndLastOutputAreReportedNotThrown() throws Exception {
        staged("r1");

        HookRun run = runHook("echo migrating; echo 'table locked' >&2; exit 3");

        assertThat(run.exitStatus()).isEqualTo(3);
        assertThat(run.timedOut()).isFalse();
        assertThat(run.succeeded()).isFalse();
        assertThat(run.lastOutput()).containsExactly("migrating", "table locked");
        assertThat(hookOutput).containsExactly("migrating", "table locked");
        assertThat(run.hook()).isEqualTo("check");
        assertThat(run.target()).isEqualTo("web-1");
        assertThat(run.phase()).isEqualTo(HookPhase.AFTER_SWITCH);
        assertThat(run.mode()).isEqualTo(HookMode.DEPLOY);
        assertThat(run.describe()).startsWith("check (afterSwitch, deploy) on web-1: exit 3 in ");
    }

    @Test
    public void successfulHookExitsZero() throws Exception {
        staged("r1");

        HookRun run = runHook("true");

        assertThat(run.exitStatus()).isZero();
        assertThat(run.succeeded()).isTrue();
        assertThat(run.lastOutput()).isEmpty();
    }

    @Test
    public void onlyTheLastTwentyLinesAreKeptButEveryLineIsPassedOn() throws Exception {
        staged("r1");

        HookRun run = runHook("i=1; while [ $i -le 50 ]; do echo line $i; i=$((i+1)); done");

        assertThat(run.lastOutput()).hasSize(20).startsWith("line 31").endsWith("line 50");
        assertThat(hookOutput).hasSize(50).startsWith("line 1").endsWith("line 50");
    }

    @Test
    public void deployVariablesAndEnvironmentVariablesReachTheCommand() throws Exception {
        staged("r1");

        HookRun run = runHook(
                "echo \"$DEPLOY_RELEASE|$DEPLOY_OPERATION|$APP_NAME|$DEPLOY_TARGET\"; echo \"$DEPLOY_ROOT\"; echo \"$DEPLOY_RELEASE_PATH\"",
                Duration.ofSeconds(30),
                Map.of("DEPLOY_RELEASE", "r1", "DEPLOY_OPERATION", "deploy", "APP_NAME", "shop"));

        assertThat(run.lastOutput())
                .containsExactly(
                        "r1|deploy|shop|web-1",
                        root.toString(),
                        root.resolve("releases/r1").toString());
    }

    @Test
    public void hookRunsInTheReleaseFolder() throws Exception {
        staged("r1");

        HookRun run = runHook("pwd -P; cat index.html");

        assertThat(run.lastOutput())
                .containsExactly(root.resolve("releases/r1").toRealPath().toString(), "release r1");
    }

    @Test
    public void hookPastItsTimeoutIsStoppedWithEverythingItStarted() throws Exception {
        staged("r1");
        long started = System.nanoTime();

        HookRun run = runHook("sleep 300 & echo $! > child.pid; echo waiting; wait", Duration.ofMillis(500), Map.of());

        assertThat(run.timedOut()).isTrue();
        assertThat(run.succeeded()).isFalse();
        assertThat(run.exitStatus()).isEqualTo(-1);
        assertThat(run.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertThat(run.describe()).contains("timed out after").endsWith("and was stopped");
        assertThat(run.lastOutput()).containsExactly("waiting");
        String child = Files.readString(root.resolve("releases/r1/child.pid")).trim();
        assertThat(runHook(AWAIT_CHILD_GONE, Duration.ofSeconds(30), Map.of("CHILD", child))
                        .exitStatus())
                .as("sleep 300 (pid %s) is gone from the target", child)
                .isZero();
    }
}
