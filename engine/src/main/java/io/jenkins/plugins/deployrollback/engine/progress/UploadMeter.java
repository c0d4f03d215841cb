package io.jenkins.plugins.deployrollback.engine.progress;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Counts the bytes of one upload and reports them to a {@link ProgressListener} at most once per
 * interval, so that a long upload shows its progress and a short one shows nothing. Used by one
 * thread.
 */
public final class UploadMeter {
    /** How often a long upload is reported. */
    public static final Duration INTERVAL = Duration.ofSeconds(1);

    private final ProgressListener listener;
    private final String target;
    private final String release;
    private final long total;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final long started;
    private long sent;
    private long lastReport;
    private boolean reported;

    public UploadMeter(ProgressListener listener, String target, String release, long total) {
        this(listener, target, release, total, INTERVAL, System::nanoTime);
    }

    /** A meter reading time from {@code nanoTime} (tests). */
    public UploadMeter(
            ProgressListener listener,
            String target,
            String release,
            long total,
            Duration interval,
            LongSupplier nanoTime) {
        this.listener = listener;
        this.target = target;
        this.release = release;
        this.total = total;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
        this.lastReport = started;
    }

    /** Counts {@code bytes} more sent, reporting when an interval has passed since the last report. */
    public void sent(long bytes) {
        sent += bytes;
        long now = nanoTime.getAsLong();
        if (now - lastReport >= intervalNanos) {
            lastReport = now;
            reported = true;
            listener.transfer(target, release, sent, Math.max(total, sent), Duration.ofNanos(now - started));
        }
    }

    /** The upload ended: reports the final count if anything was reported before. */
    public void finished() {
        if (reported) {
            long now = nanoTime.getAsLong();
            listener.transfer(target, release, sent, Math.max(total, sent), Duration.ofNanos(now - started));
        }
    }
}
