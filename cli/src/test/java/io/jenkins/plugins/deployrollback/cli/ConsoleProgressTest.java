package io.jenkins.plugins.deployrollback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.Test;

public class ConsoleProgressTest {
    private final StringWriter written = new StringWriter();

    private ConsoleProgress progress(boolean terminal) {
        return new ConsoleProgress(
                new PrintWriter(written, true),
                Clock.fixed(Instant.parse("2026-12-07T09:00:00Z"), ZoneOffset.UTC),
                terminal);
    }

    @Test
    public void onATerminalAnUploadShowsBytesPercentAndRatePerHost() {
        progress(true).transfer("web-1", "r3", 12L << 20, 48L << 20, Duration.ofMillis(1500));

        assertThat(written.toString()).contains("web-1: uploading r3: 12.0 MB of 48.0 MB (25%), 8.0 MB/s");
    }

    @Test
    public void inALogUploadProgressIsLeftOut() {
        ConsoleProgress progress = progress(false);

        progress.transfer("web-1", "r3", 12L << 20, 48L << 20, Duration.ofMillis(1500));
        progress.info("staged");

        assertThat(written.toString()).doesNotContain("uploading").contains("staged");
    }
}
