package io.jenkins.plugins.deployrollback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Test;

public class TrainingTest {
    private static List<Path> warmUpFolders() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith(Training.WARM_UP_PREFIX))
                    .toList();
        }
    }

    @Test
    public void aWarmUpShorterThanARoundStillDoesOneAndLeavesNothingBehind() throws Exception {
        List<Path> before = warmUpFolders();

        int rounds = Training.warmUp(Duration.ofMillis(1));

        assertThat(rounds).isEqualTo(1);
        assertThat(warmUpFolders()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    public void aWarmUpRepeatsTheCommandsUntilItsTimeIsUp() throws Exception {
        long start = System.nanoTime();

        int rounds = Training.warmUp(Duration.ofMillis(300));

        // Rounds are not timed: one may take longer than the whole budget on a slow machine.
        assertThat(rounds).isPositive();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
}
