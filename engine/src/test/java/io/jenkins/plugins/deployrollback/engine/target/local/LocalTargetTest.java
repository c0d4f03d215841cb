package io.jenkins.plugins.deployrollback.engine.target.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.target.LedgerEntry;
import io.jenkins.plugins.deployrollback.engine.target.OperationContext;
import io.jenkins.plugins.deployrollback.engine.target.SharedPath;
import io.jenkins.plugins.deployrollback.engine.target.StagedRelease;
import io.jenkins.plugins.deployrollback.engine.target.TargetConflictException;
import io.jenkins.plugins.deployrollback.engine.target.TargetSession;
import io.jenkins.plugins.deployrollback.engine.target.TargetState;
import io.jenkins.plugins.deployrollback.engine.testing.FileTreeSnapshot;
import io.jenkins.plugins.deployrollback.engine.testing.ManualClock;
import io.jenkins.plugins.deployrollback.engine.testing.RecordingProgress;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseFolders;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class LocalTargetTest {
    private static final EnvironmentName STAGING = EnvironmentName.of("staging");
    private static final ReleaseId R1 = ReleaseId.of("r1");
    private static final ReleaseId R2 = ReleaseId.of("r2");

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final RecordingProgress progress = new RecordingProgress();
    private Path root;
    private LocalTarget target;
    private ReleaseFolders releases;
    private TargetSession session;

    @Before
    public void setUp() throws Exception {
        root = temp.newFolder("web-1").toPath();
        target = new LocalTarget("web-1", root);
        releases = new ReleaseFolders(temp.newFolder("artifacts").toPath());
        session = open(Clock.systemUTC());
    }

    private TargetSession open(Clock clock) {
        return target.open(new OperationContext(STAGING, Operation.DEPLOY, "alice", clock, progress));
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
            assertThat(e.to()).isEqualTo(R1);
            assertThat(e.actor()).isEqualTo("alice");
            assertThat(e.environment()).isEqualTo(STAGING);
            assertThat(e.operation()).isEqualTo("deploy");
            assertThat(e.detail()).isEqualTo(r1.release().content().summary());
        });
        TargetState state = session.inspect();
        assertThat(state.releases()).extracting(StagedRelease::id).containsExactly(R1);
        assertThat(state.holds(R1, r1.release().content().digest())).isTrue();
        assertThat(state.problems()).isEmpty();
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
                .isInstanceOf(io.jenkins.plugins.deployrollback.engine.release.ChecksumMismatchException.class)
                .hasMessageContaining("\"index.html\"");

        assertThat(root.resolve("releases/r1")).doesNotExist();
        assertThat(root.resolve(".deploy/manifests/r1")).doesNotExist();
        assertThat(ls(".deploy/staging")).isEmpty();
        assertThat(session.ledger()).isEmpty();
    }

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
                .allSatisfy(e -> assertThat(e.actor()).isEqualTo("alice"));
        try (var temporaries = Files.newDirectoryStream(root, ".current-*")) {
            assertThat(temporaries).isEmpty();
        }
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
    }

    @Test
    public void archivedFailedReleasesMoveToFailedAndOnlyTheNewestAreKept() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
        session = open(clock);
        staged("r1");
        session.switchTo(R1);
        for (String id : List.of("r9", "r2", "r5")) {
            staged(id);
        }

        for (String id : List.of("r9", "r2", "r5")) {
            clock.advance(Duration.ofMinutes(1));
            session.archiveFailed(ReleaseId.of(id), 2);
        }

        assertThat(ls(".deploy/failed")).containsExactly("20261123T100200.000Z-r2", "20261123T100300.000Z-r5");
        assertThat(root.resolve(".deploy/failed/20261123T100300.000Z-r5/index.html"))
                .hasContent("release r5");
        assertThat(ls("releases")).containsExactly("r1");
        assertThat(ls(".deploy/manifests")).containsExactly("r1");
        assertThat(session.ledger())
                .filteredOn(e -> e.event().equals(LedgerEntry.ARCHIVE))
                .extracting(LedgerEntry::detail)
                .containsExactly(
                        ".deploy/failed/20261123T100100.000Z-r9",
                        ".deploy/failed/20261123T100200.000Z-r2",
                        ".deploy/failed/20261123T100300.000Z-r5");
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
}
