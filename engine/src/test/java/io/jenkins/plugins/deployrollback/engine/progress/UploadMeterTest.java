package io.jenkins.plugins.deployrollback.engine.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.testing.RecordingProgress;
import java.time.Duration;
import org.junit.Test;

public class UploadMeterTest {
    private long now = 5_000_000_000L;
    private final RecordingProgress progress = new RecordingProgress();

    private UploadMeter meter(long total) {
        return new UploadMeter(progress, "web-1", "r3", total, Duration.ofSeconds(1), () -> now);
    }

    @Test
    public void aLongUploadIsReportedOncePerIntervalAndWhenItEnds() {
        UploadMeter meter = meter(3000);

        meter.sent(1000);
        now += 600_000_000L;
        meter.sent(500);
        now += 500_000_000L;
        meter.sent(500);
        now += 300_000_000L;
        meter.sent(1000);
        meter.finished();

        assertThat(progress.transfers())
                .containsExactly("web-1 r3 2000/3000 after 1100 ms", "web-1 r3 3000/3000 after 1400 ms");
    }

    @Test
    public void aShortUploadReportsNothing() {
        UploadMeter meter = meter(3000);

        meter.sent(3000);
        now += 200_000_000L;
        meter.finished();

        assertThat(progress.lines()).isEmpty();
    }
}
