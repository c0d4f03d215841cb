package io.jenkins.plugins.deployrollback.engine.progress;

/**
 * Where the engine reports progress: the command line prints it, Jenkins writes it to the build log.
 * Calls may come from several threads. Nothing secret is ever passed here.
 */
public interface ProgressListener {
    /** A listener that drops everything. */
    ProgressListener SILENT = new ProgressListener() {
        @Override
        public void stage(String stage, String message) {}

        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}

        @Override
        public void output(String source, String line) {}
    };

    /** A named stage of the flow begins ({@code lock}, {@code stage}, {@code switch}, …). */
    void stage(String stage, String message);

    /** Something worth knowing happened. */
    void info(String message);

    /** Something unexpected happened that did not stop the operation (a lock taken over, a skipped step). */
    void warn(String message);

    /** A line a hook printed, with where it came from ({@code migrate@web-1}). */
    void output(String source, String line);

    /**
     * A step on {@code target} failed for a passing reason and is tried again after {@code delay}:
     * retry number {@code retry} of {@code attempts - 1}. Shown as a warning unless a front end does more.
     */
    default void retrying(String target, String step, int retry, int attempts, String cause, java.time.Duration delay) {
        warn(target + ": " + step + " failed (" + cause + "); retry " + retry + " of " + (attempts - 1) + " in "
                + delay.toMillis() + " ms");
    }

    /**
     * {@code sent} of {@code total} bytes of {@code release} are uploaded to {@code target}, after
     * {@code elapsed}: reported about once a second during a long upload, and once when it ends (only
     * if it was reported before). A front end may show it; by default it is dropped.
     */
    default void transfer(String target, String release, long sent, long total, java.time.Duration elapsed) {}
}
