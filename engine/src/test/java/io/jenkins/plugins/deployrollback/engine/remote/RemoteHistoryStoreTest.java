package io.jenkins.plugins.deployrollback.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.flow.DeployRequest;
import io.jenkins.plugins.deployrollback.engine.flow.DeploymentResult;
import io.jenkins.plugins.deployrollback.engine.history.AttemptInProgress;
import io.jenkins.plugins.deployrollback.engine.history.DeploymentRecord;
import io.jenkins.plugins.deployrollback.engine.history.FileHistoryStore;
import io.jenkins.plugins.deployrollback.engine.history.History;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.history.Outcome;
import io.jenkins.plugins.deployrollback.engine.history.ReleaseConflictException;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.testing.ReleaseFolders;
import io.jenkins.plugins.deployrollback.engine.testing.Stack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The engine with its history across a {@link HistoryWire} behaves as with the history files at
 * hand: the same operations end the same way and leave the same history.
 */
public class RemoteHistoryStoreTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    /** Each record the far side heard of, with whether the store already had it then. */
    private final List<DeploymentRecord> heard = new CopyOnWriteArrayList<>();

    private final List<Boolean> storedWhenHeard = new CopyOnWriteArrayList<>();

    private Stack direct;
    private Stack remote;

    @Before
    public void setUp() throws IOException {
        direct = new Stack(temp.newFolder("direct").toPath(), 1);
        remote = new Stack(
                temp.newFolder("remote").toPath(),
                1,
                Clock.systemUTC(),
                files -> new RemoteHistoryStore(HistoryWire.serving(files, record -> {
                    heard.add(record);
                    storedWhenHeard.add(
                            files.read(record.environment()).records().contains(record));
                })),
                artifacts -> artifacts);
    }

    @After
    public void tearDown() {
        direct.close();
        remote.close();
    }

    @Test
    public void deploysRollbacksAndRollForwardsEndAsTheyDoWithTheFilesAtHand() throws IOException {
        List<String> directly = operations(direct);
        List<String> acrossTheWire = operations(remote);

        assertThat(acrossTheWire).isEqualTo(directly);
        assertThat(acrossTheWire)
                .containsExactly(
                        "deploy r1 from null: SUCCEEDED, live r1, last known good r1, gates [health PASS]",
                        "deploy r2 from r1: SUCCEEDED, live r2, last known good r2, gates [health PASS]",
                        "deploy r3 from r2: ROLLED_BACK, live r2, last known good r2, gates [health FAIL]",
                        "rollback r1 from r2: SUCCEEDED, live r1, last known good r1, gates []",
                        "roll-forward r2 from r1: SUCCEEDED, live r2, last known good r2, gates [health PASS]");
        assertThat(shape(remote.engine.history(remote.name))).isEqualTo(shape(direct.engine.history(direct.name)));
    }

    @Test
    public void historyReadAcrossTheWireIsTheHistoryTheFilesHold() throws IOException {
        operations(remote);

        History acrossTheWire = remote.engine.history(remote.name);

        assertThat(acrossTheWire).isEqualTo(remote.history.read(remote.name));
        assertThat(acrossTheWire.records()).hasSize(5);
        assertThat(acrossTheWire.records().get(2).gates().get(0).checks().get(0).measurements())
                .isNotEmpty();
        assertThat(acrossTheWire.releases()).containsOnlyKeys(ids("r1", "r2", "r3"));
        assertThat(acrossTheWire.current()).contains(ReleaseId.of("r2"));
        assertThat(acrossTheWire.lastKnownGood()).contains(ReleaseId.of("r2"));
    }

    @Test
    public void theFarSideHearsOfEachRecordOnceItIsStored() throws IOException {
        operations(remote);

        assertThat(heard).isEqualTo(remote.history.read(remote.name).records());
        assertThat(storedWhenHeard).hasSize(5).containsOnly(true);
    }

    @Test
    public void problemsOfATornHistoryCrossTheWire() throws IOException {
        remote.deployHealthy("r1");
        Path historyFile = remote.history.folder().resolve("environments/staging/history.jsonl");
        Files.writeString(historyFile, "{\"id\":\"torn\",\"environment\":\"stag", StandardOpenOption.APPEND);

        History acrossTheWire = remote.engine.history(remote.name);

        assertThat(acrossTheWire.problems()).singleElement().satisfies(p -> assertThat(p)
                .contains("the last record (line 2")
                .contains("is incomplete"));
        assertThat(acrossTheWire).isEqualTo(remote.history.read(remote.name));
        assertThat(acrossTheWire.current()).contains(ReleaseId.of("r1"));
    }

    @Test
    public void anInterruptedAttemptCrossesTheWireBothWays() throws IOException {
        remote.deployHealthy("r1");
        ReleaseFolders.Prepared r2 = remote.releases.healthy("r2");
        RemoteHistoryStore store = new RemoteHistoryStore(HistoryWire.serving(remote.history, heard::add));
        store.register(r2.release());
        AttemptInProgress attempt = new AttemptInProgress(
                "attempt-2",
                remote.name,
                Operation.DEPLOY,
                ReleaseId.of("r2"),
                ReleaseId.of("r1"),
                "tester",
                Instant.parse("2026-11-23T10:00:00.123456789Z"));

        store.begin(attempt);

        assertThat(remote.history.read(remote.name).interruptedAttempt()).contains(attempt);
        History acrossTheWire = store.read(remote.name);
        assertThat(acrossTheWire.interruptedAttempt()).contains(attempt);
        assertThat(acrossTheWire.release(ReleaseId.of("r2"))).contains(r2.release());
        assertThat(acrossTheWire.unfinished()).contains(attempt);
        assertThat(acrossTheWire).isEqualTo(remote.history.read(remote.name));
    }

    @Test
    public void aReleaseRegisteredOtherwiseIsRefusedAsAReleaseConflictWithTheStoresMessage() throws IOException {
        FileHistoryStore files = new FileHistoryStore(temp.newFolder("conflict").toPath());
        RemoteHistoryStore store = new RemoteHistoryStore(HistoryWire.serving(files, HistoryWire.RecordListener.NONE));
        ReleaseFolders folders = new ReleaseFolders(temp.newFolder("releases").toPath());
        Release first = folders.healthy("r1").release();
        Release other =
                folders.prepare("r1", Map.of("index.html", "other content\n")).release();
        assertThat(store.register(first)).isEqualTo(first);
        assertThat(store.register(first)).isEqualTo(first);
        String message = messageOf(() -> files.register(other));

        assertThatThrownBy(() -> store.register(other))
                .isExactlyInstanceOf(ReleaseConflictException.class)
                .hasMessage(message)
                .hasMessageStartingWith("Release r1 is already recorded with other content");
        assertThat(store.release(ReleaseId.of("r1"))).contains(first);
        assertThat(store.release(ReleaseId.of("r9"))).isEmpty();
    }

    @Test
    public void aDeployOfAReleaseIdRecordedOtherwiseIsRefusedAcrossTheWire() throws IOException {
        remote.deployHealthy("r1");
        ReleaseFolders.Prepared other = remote.releases.prepare("r1", Map.of("index.html", "other content\n"));

        assertThatThrownBy(() -> remote.engine.deploy(
                        remote.environment(), new DeployRequest(other.release(), other.source(), "tester", null)))
                .isExactlyInstanceOf(ReleaseConflictException.class)
                .hasMessageStartingWith("Release r1 is already recorded with other content");
        assertThat(remote.history.read(remote.name).records()).hasSize(1);
    }

    @Test
    public void aFailureOfTheStoreReachesTheCallerWithItsMessage() throws IOException {
        FileHistoryStore blocked =
                new FileHistoryStore(temp.newFile("not-a-folder").toPath());
        RemoteHistoryStore store =
                new RemoteHistoryStore(HistoryWire.serving(blocked, HistoryWire.RecordListener.NONE));
        DeploymentRecord record = record("rec-1");
        String message = messageOf(() -> blocked.append(record));

        assertThatThrownBy(() -> store.append(record))
                .isInstanceOf(IOException.class)
                .hasMessage(message)
                .hasMessageContaining("not-a-folder");
        assertThat(heard).isEmpty();
    }

    @Test
    public void aFailureToHearOfARecordFailsTheAppendSayingTheRecordIsStored() throws IOException {
        FileHistoryStore files = new FileHistoryStore(temp.newFolder("history").toPath());
        RemoteHistoryStore store = new RemoteHistoryStore(HistoryWire.serving(files, record -> {
            throw new IOException("origins file is read-only");
        }));

        assertThatThrownBy(() -> store.append(record("rec-1")))
                .isInstanceOf(IOException.class)
                .hasMessage("Record rec-1 of staging is stored, but noting it afterwards failed:"
                        + " origins file is read-only");
        assertThat(files.read(remote.name).records()).containsExactly(record("rec-1"));
    }

    /** Deploys r1, r2, a broken r3 (rolled back), rolls back and forward, and describes each result. */
    private static List<String> operations(Stack stack) throws IOException {
        List<DeploymentResult> results = new ArrayList<>();
        results.add(stack.deployHealthy("r1"));
        results.add(stack.deployHealthy("r2"));
        results.add(stack.deploy(stack.releases.broken("r3")));
        results.add(stack.rollback());
        results.add(stack.rollForward());
        return results.stream().map(RemoteHistoryStoreTest::describe).toList();
    }

    private static String describe(DeploymentResult r) {
        return r.operation().label() + " " + r.release() + " from " + r.previous() + ": " + r.outcome() + ", live "
                + r.live() + ", last known good " + r.lastKnownGood() + ", gates "
                + r.gates().stream().map(g -> g.gate() + " " + g.verdict()).toList();
    }

    /** What a history says, without what differs from one run to the next (ids, times, addresses). */
    private static List<String> shape(History history) {
        List<String> shape = new ArrayList<>();
        for (DeploymentRecord r : history.records()) {
            shape.add(r.operation().label() + " " + r.release() + " from " + r.previous() + " by " + r.triggeredBy()
                    + ": " + r.outcome() + ", live " + r.live() + ", targets "
                    + r.targets().stream()
                            .map(t -> t.target() + " " + t.steps())
                            .toList());
        }
        shape.add("current " + history.current().orElse(null));
        shape.add("last known good " + history.lastKnownGood().orElse(null));
        shape.add("releases " + history.releases().keySet().stream().sorted().toList());
        shape.add("problems " + history.problems());
        return shape;
    }

    private static DeploymentRecord record(String id) {
        Instant at = Instant.parse("2026-11-23T10:00:00Z");
        return new DeploymentRecord(
                id,
                io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName.of("staging"),
                Operation.DEPLOY,
                ReleaseId.of("r1"),
                null,
                ReleaseId.of("r1"),
                Outcome.SUCCEEDED,
                "tester",
                null,
                at,
                at.plusSeconds(1),
                null,
                null,
                null,
                null);
    }

    private static ReleaseId[] ids(String... ids) {
        return java.util.Arrays.stream(ids).map(ReleaseId::of).toArray(ReleaseId[]::new);
    }

    private static String messageOf(Action action) {
        try {
            action.run();
        } catch (Exception e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a failure");
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }
}
