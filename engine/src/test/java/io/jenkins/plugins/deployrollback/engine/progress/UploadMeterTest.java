package io.jenkins.plugins.deployrollback.engine.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class UploadMeterTest {
    private long now = 5_000_000_000L;
    private final List<String> reports = new ArrayList<>();

    private final ProgressListener listener = new ProgressListener() {
        @Override
        public void stage(String stage, String message) {}

        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}

        @Override
        public void output(String source, String line) {}

        @Override
        public void transfer(String target, String release, long sent, long total, Duration elapsed) {
            reports.add(target + " " + release + " " + sent + "/" + total + " after " + elapsed.toMillis() + " ms");
        }
    };

    private UploadMeter meter(long total) {
        return new UploadMeter(listener, "web-1", "r3", total, Duration.ofSeconds(1), () -> now);
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

        assertThat(reports).containsExactly("web-1 r3 2000/3000 after 1100 ms", "web-1 r3 3000/3000 after 1400 ms");
    }

    @Test
    public void aShortUploadReportsNothing() {
        UploadMeter meter = meter(3000);

        meter.sent(3000);
        now += 200_000_000L;
        meter.finished();

        assertThat(reports).isEmpty();
    }
}
