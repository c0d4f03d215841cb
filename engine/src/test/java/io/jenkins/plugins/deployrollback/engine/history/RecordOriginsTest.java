package io.jenkins.plugins.deployrollback.engine.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RecordOriginsTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path file;
    private RecordOrigins origins;

    @Before
    public void setUp() {
        file = temp.getRoot().toPath().resolve("history/origins.jsonl");
        origins = new RecordOrigins(file);
    }

    @Test
    public void originsReadBackByRecordId() throws Exception {
        origins.note("rec-1", "41");
        origins.note("rec-2", "rollback-to-build:41");

        assertThat(new RecordOrigins(file).read())
                .containsExactly(Map.entry("rec-1", "41"), Map.entry("rec-2", "rollback-to-build:41"));
    }

    @Test
    public void noFileMeansNoOriginIsKnown() throws Exception {
        assertThat(origins.read()).isEmpty();
    }

    @Test
    public void aRecordNotedAgainHasItsNewerOrigin() throws Exception {
        origins.note("rec-1", "41");
        origins.note("rec-1", "42");

        assertThat(origins.read()).containsExactly(Map.entry("rec-1", "42"));
    }

    @Test
    public void aNoteTornByAWriterThatDiedIsSkippedAndTheNextNoteIsKept() throws Exception {
        origins.note("rec-1", "41");
        Files.writeString(file, "{\"record\":\"rec-2\",\"orig", StandardOpenOption.APPEND);

        assertThat(origins.read()).containsExactly(Map.entry("rec-1", "41"));

        origins.note("rec-3", "43");
        assertThat(origins.read()).containsExactly(Map.entry("rec-1", "41"), Map.entry("rec-3", "43"));
    }

    @Test
    public void twoWritersAtOnceLoseNoNote() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (String writer : List.of("a", "b")) {
                RecordOrigins own = new RecordOrigins(file);
                done.add(writers.submit(() -> {
                    start.await();
                    for (int i = 0; i < 200; i++) {
                        own.note(writer + "-" + i, writer.repeat(2000));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : done) {
                writer.get();
            }
        } finally {
            writers.shutdownNow();
        }

        Map<String, String> read = origins.read();
        assertThat(read).hasSize(400);
        assertThat(read).containsEntry("a-199", "a".repeat(2000)).containsEntry("b-0", "b".repeat(2000));
    }

    @Test
    public void aNoteWithoutARecordIdIsRefused() {
        assertThatThrownBy(() -> origins.note(" ", "41"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Record id is empty: note the origin of a record by its id");
    }
}
