package io.jenkins.plugins.deployrollback.engine.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.gate.CheckVerdict;
import io.jenkins.plugins.deployrollback.engine.gate.GateVerdict;
import io.jenkins.plugins.deployrollback.engine.gate.Measurement;
import io.jenkins.plugins.deployrollback.engine.gate.SampleResult;
import io.jenkins.plugins.deployrollback.engine.gate.Verdict;
import io.jenkins.plugins.deployrollback.engine.hook.HookMode;
import io.jenkins.plugins.deployrollback.engine.hook.HookPhase;
import io.jenkins.plugins.deployrollback.engine.hook.HookRun;
import io.jenkins.plugins.deployrollback.engine.release.Artifact;
import io.jenkins.plugins.deployrollback.engine.release.Release;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseContent;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseLink;
import io.jenkins.plugins.deployrollback.engine.support.JsonLines;
import io.jenkins.plugins.deployrollback.engine.support.Sha256;
import io.jenkins.plugins.deployrollback.engine.testing.AppendRecords;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FileHistoryStoreTest {
    private static final EnvironmentName STAGING = EnvironmentName.of("staging");
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123456789Z");
    /** The first half of a record, as a writer killed in the middle of an append leaves it. */
    private static final String TORN = "{\"id\":\"torn\",\"environment\":\"stag";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private FileHistoryStore store;
    private Path historyFile;

    @Before
    public void setUp() {
        store = new FileHistoryStore(temp.getRoot().toPath().resolve("history"));
        historyFile = store.folder().resolve("environments/staging/history.jsonl");
    }

    private static DeploymentRecord record(String id, String release) {
        return new DeploymentRecord(
                id,
                STAGING,
                Operation.DEPLOY,
                ReleaseId.of(release),
                null,
                ReleaseId.of(release),
                Outcome.SUCCEEDED,
                "tester",
                null,
                T0,
                T0.plusSeconds(5),
                null,
                null,
                null,
                null);
    }

    private static Release release(String id, String content, Set<String> facts) {
        ReleaseContent files = new ReleaseContent(
                List.of(new Artifact("index.html", content.length(), Sha256.of(content), false)),
                List.of(new ReleaseLink("latest", "index.html")),
                List.of("empty"));
        return new Release(ReleaseId.of(id), "v-" + id, "app#" + id, facts, files);
    }

    private void appendRaw(String text) throws Exception {
        Files.writeString(historyFile, text, StandardOpenOption.APPEND);
    }

    private static List<String> ids(History history) {
        return history.records().stream().map(DeploymentRecord::id).toList();
    }

    @Test
    public void recordsReadBackExactlyAsAppendedWithTheirEvidence() throws Exception {
        DeploymentRecord rich = new DeploymentRecord(
                "rich",
                STAGING,
                Operation.ROLL_FORWARD,
                ReleaseId.of("r2"),
                ReleaseId.of("r1"),
                ReleaseId.of("r1"),
                Outcome.ROLLED_BACK,
                "jenkins: app #42",
                "health FAIL: 500 \"twice\"\nsecond line",
                T0,
                T0.plusMillis(1500),
                List.of(new GateVerdict(
                        "health",
                        Verdict.FAIL,
                        "health: error rate 100% > 0% in 1 of 1 sample (limit 0)",
                        List.of(new CheckVerdict(
                                "health",
                                "http",
                                Verdict.FAIL,
                                "error rate 100% > 0% in 1 of 1 sample (limit 0)",
                                false,
                                1,
                                List.of(new Measurement(
                                        1,
                                        T0.plusSeconds(1),
                                        "GET http://127.0.0.1:1/health",
                                        "error rate 100% (1 of 1); 1 x status 500",
                                        "<= 0%",
                                        SampleResult.FAIL)))))),
                List.of(new HookRun(
                        "migrate",
                        "web-1",
                        HookPhase.BEFORE_SWITCH,
                        HookMode.DEPLOY,
                        0,
                        false,
                        Duration.ofMillis(1234),
                        List.of("migrated", "ünïcödé ✓"))),
                List.of(new TargetReport(
                        "web-1",
                        List.of("staged r2", "switched r1 -> r2", "switched r2 -> r1"),
                        ReleaseId.of("r1"),
                        null)),
                List.of("target web-2 serves nothing yet"));

        store.append(record("first", "r1"));
        store.append(rich);

        History history = store.read(STAGING);
        assertThat(history.records()).containsExactly(record("first", "r1"), rich);
        assertThat(history.problems()).isEmpty();
        assertThat(Files.readAllLines(historyFile)).hasSize(2);
    }

    @Test
    public void changeTokenChangesWithEveryRecordAndOnlyThen() throws Exception {
        String empty = store.changeToken(STAGING);
        store.append(record("a", "r1"));
        String one = store.changeToken(STAGING);
        store.read(STAGING);
        String read = store.changeToken(STAGING);
        store.append(record("b", "r2"));
        String two = store.changeToken(STAGING);

        assertThat(one).isNotEqualTo(empty);
        assertThat(read).as("reading changes nothing").isEqualTo(one);
        assertThat(two).isNotEqualTo(one);
        store.begin(attempt("c", "r1", "r2"));
        assertThat(store.changeToken(STAGING)).as("an attempt begun").isNotEqualTo(two);
        assertThat(store.changeToken(EnvironmentName.of("other"))).isEqualTo(empty);
    }

    @Test
    public void environmentWithoutHistoryReadsEmpty() throws Exception {
        History history = store.read(STAGING);

        assertThat(history.records()).isEmpty();
        assertThat(history.problems()).isEmpty();
        assertThat(store.environments()).isEmpty();
    }

    @Test
    public void readHistoryKnowsTheCatalogEntriesOfTheReleasesItNames() throws Exception {
        Release r1 = store.register(release("r1", "one", Set.of()));
        store.append(record("a", "r1"));
        store.append(record("b", "r2"));

        History history = store.read(STAGING);

        assertThat(history.release(ReleaseId.of("r1"))).get().satisfies(r -> assertThat(r.sameAs(r1))
                .isTrue());
        assertThat(history.release(ReleaseId.of("r2"))).isEmpty();
        assertThat(store.environments()).containsExactly(STAGING);
    }

    @Test
    public void tornFinalRecordIsReportedAndIgnoredWhileEveryEarlierRecordIsKept() throws Exception {
        store.append(record("a", "r1"));
        store.append(record("b", "r2"));
        appendRaw(TORN);

        History history = store.read(STAGING);

        assertThat(ids(history)).containsExactly("a", "b");
        assertThat(history.problems())
                .singleElement()
                .asString()
                .contains("the last record (line 3, " + TORN.length()
                        + " bytes) is incomplete, left by a writer that was interrupted; it was ignored");
    }

    @Test
    public void appendAfterATornRecordIsReadableBecauseTheTornLineIsEndedFirst() throws Exception {
        store.append(record("a", "r1"));
        appendRaw(TORN);

        store.append(record("c", "r3"));

        History history = store.read(STAGING);
        assertThat(ids(history)).containsExactly("a", "c");
        assertThat(history.problems()).singleElement().asString().contains("line 2 is unreadable and was ignored");
        assertThat(Files.readAllLines(historyFile)).hasSize(3).element(1).isEqualTo(TORN);
    }

    @Test
    public void unreadableMiddleLineIsReportedAndSkipped() throws Exception {
        store.append(record("a", "r1"));
        appendRaw("this is not json\n");
        appendRaw("{\"id\":\"no-release\",\"environment\":\"staging\"}\n");
        store.append(record("b", "r2"));

        History history = store.read(STAGING);

        assertThat(ids(history)).containsExactly("a", "b");
        assertThat(history.problems()).hasSize(2);
        assertThat(history.problems().get(0)).contains("line 2 is unreadable and was ignored");
        assertThat(history.problems().get(1)).contains("line 3 is unreadable and was ignored");
    }

    @Test
    public void recordOfAnotherEnvironmentInThisFileIsReportedAndIgnored() throws Exception {
        store.append(record("a", "r1"));
        appendRaw(new String(
                        io.jenkins.plugins.deployrollback.engine.support.Json.mapper()
                                .writeValueAsBytes(new DeploymentRecord(
                                        "stray",
                                        EnvironmentName.of("production"),
                                        Operation.DEPLOY,
                                        ReleaseId.of("r9"),
                                        null,
                                        ReleaseId.of("r9"),
                                        Outcome.SUCCEEDED,
                                        "tester",
                                        null,
                                        T0,
                                        T0,
                                        null,
                                        null,
                                        null,
                                        null)),
                        StandardCharsets.UTF_8)
                + "\n");

        History history = store.read(STAGING);

        assertThat(ids(history)).containsExactly("a");
        assertThat(history.problems())
                .singleElement()
                .asString()
                .isEqualTo("a record of environment production is filed under staging; it was ignored");
    }

    @Test
    public void registeringTheSameReleaseTwiceIsIdempotent() throws Exception {
        Release first = store.register(release("r1", "one", Set.of(Release.SCHEMA_MIGRATION)));
        Path catalogEntry = store.folder().resolve("releases/r1.json");
        String written = Files.readString(catalogEntry);

        Release again = store.register(release("r1", "one", Set.of(Release.SCHEMA_MIGRATION)));

        assertThat(again.sameAs(first)).isTrue();
        assertThat(Files.readString(catalogEntry)).isEqualTo(written);
        assertThat(store.release(ReleaseId.of("r1"))).get().satisfies(r -> {
            assertThat(r.sameAs(first)).isTrue();
            assertThat(r.content().digest()).isEqualTo(first.content().digest());
        });
        try (var files = Files.list(catalogEntry.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("r1.json", ".catalog.lock");
        }
    }

    @Test
    public void otherContentUnderARecordedIdIsRefusedSayingIdsAreImmutable() throws Exception {
        store.register(release("r1", "one", Set.of()));
        String written = Files.readString(store.folder().resolve("releases/r1.json"));

        assertThatThrownBy(() -> store.register(release("r1", "two", Set.of())))
                .isInstanceOf(ReleaseConflictException.class)
                .hasMessageContaining("Release r1 is already recorded with other content")
                .hasMessageContaining("Release ids are immutable: give this build a new release id.");
        assertThat(Files.readString(store.folder().resolve("releases/r1.json"))).isEqualTo(written);
    }

    @Test
    public void otherFactsUnderARecordedIdAreRefused() throws Exception {
        store.register(release("r1", "one", Set.of()));

        assertThatThrownBy(() -> store.register(release("r1", "one", Set.of(Release.SCHEMA_MIGRATION))))
                .isInstanceOf(ReleaseConflictException.class)
                .hasMessageContaining("other facts (recorded [], offered [schemaMigration])")
                .hasMessageContaining("Release ids are immutable");
    }

    @Test
    public void otherVersionUnderARecordedIdIsRefused() throws Exception {
        store.register(release("r1", "one", Set.of()));
        Release relabelled = new Release(
                ReleaseId.of("r1"),
                "v-other",
                "app#r1",
                Set.of(),
                release("r1", "one", Set.of()).content());

        assertThatThrownBy(() -> store.register(relabelled))
                .isInstanceOf(ReleaseConflictException.class)
                .hasMessageContaining("another version or build")
                .hasMessageContaining("Release ids are immutable");
    }

    @Test
    public void writersInTwoProcessesAndTwoThreadsAppendEveryRecordExactlyOnce() throws Exception {
        int perWriter = 40;
        List<Process> processes = List.of(startWriter("process-a", perWriter), startWriter("process-b", perWriter));
        for (Process process : processes) {
            awaitReady(process);
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<Future<?>> appended = new ArrayList<>();
        try {
            for (String writer : List.of("thread-a", "thread-b")) {
                appended.add(threads.submit(() -> {
                    go.await();
                    AppendRecords.append(store, STAGING, writer, perWriter);
                    return null;
                }));
            }
            for (Process process : processes) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write("go\n".getBytes(StandardCharsets.UTF_8));
                }
            }
            go.countDown();

            for (Future<?> future : appended) {
                future.get(60, TimeUnit.SECONDS);
            }
            for (Process process : processes) {
                assertThat(process.waitFor(60, TimeUnit.SECONDS))
                        .as("writer process ended")
                        .isTrue();
                assertThat(process.exitValue())
                        .as(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                        .isZero();
            }
        } finally {
            threads.shutdownNow();
            processes.forEach(Process::destroyForcibly);
        }

        History history = store.read(STAGING);
        assertThat(history.problems()).isEmpty();
        List<String> expected = new ArrayList<>();
        for (String writer : List.of("process-a", "process-b", "thread-a", "thread-b")) {
            for (int i = 0; i < perWriter; i++) {
                expected.add(writer + "-" + i);
            }
            assertThat(ids(history).stream()
                            .filter(id -> id.startsWith(writer + "-"))
                            .toList())
                    .as("records of %s in the order written", writer)
                    .isEqualTo(expected.subList(expected.size() - perWriter, expected.size()));
        }
        assertThat(ids(history)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        assertThat(Files.readAllLines(historyFile)).hasSize(expected.size());
    }

    private static AttemptInProgress attempt(String id, String release, String previous) {
        return new AttemptInProgress(
                id, STAGING, Operation.ROLLBACK, ReleaseId.of(release), ReleaseId.of(previous), "alice", T0);
    }

    @Test
    public void attemptNotedBeforeTheSwitchIsReportedAsInterruptedUntilItsRecordIsAppended() throws Exception {
        store.append(record("a", "r1"));
        store.begin(attempt("b", "r1", "r2"));

        assertThat(store.read(STAGING).interruptedAttempt()).contains(attempt("b", "r1", "r2"));

        store.append(record("b", "r1"));

        assertThat(store.read(STAGING).interruptedAttempt()).isEmpty();
        assertThat(historyFile.resolveSibling("in-progress.json")).doesNotExist();
    }

    @Test
    public void noteLeftBehindByACrashAfterItsRecordWasAppendedIsNoInterruption() throws Exception {
        store.begin(attempt("b", "r1", "r2"));
        JsonLines.append(historyFile, record("b", "r1"));

        assertThat(historyFile.resolveSibling("in-progress.json")).exists();
        assertThat(store.read(STAGING).interruptedAttempt()).isEmpty();
    }

    @Test
    public void newAttemptReplacesTheNoteOfAnEarlierInterruptedOne() throws Exception {
        store.begin(attempt("b", "r1", "r2"));
        store.begin(attempt("c", "r3", "r2"));

        assertThat(store.read(STAGING).interruptedAttempt()).contains(attempt("c", "r3", "r2"));
    }

    private Process startWriter(String writer, int count) throws Exception {
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        AppendRecords.class.getName(),
                        store.folder().toString(),
                        STAGING.value(),
                        writer,
                        String.valueOf(count))
                .start();
    }

    private static void awaitReady(Process process) throws Exception {
        String line =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line)
                .as(
                        "first line of a writer process; its errors: %s",
                        line == null ? new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8) : "")
                .isEqualTo("ready");
    }
}
