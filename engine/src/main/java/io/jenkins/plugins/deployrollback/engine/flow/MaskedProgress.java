package io.jenkins.plugins.deployrollback.engine.flow;

import io.jenkins.plugins.deployrollback.engine.progress.ProgressListener;
import io.jenkins.plugins.deployrollback.engine.support.Secrets;
import java.time.Duration;

/**
 * A progress listener that masks the known secrets in everything it passes on: whatever a hook
 * printed, and any message that quotes it.
 */
final class MaskedProgress implements ProgressListener {
    private final ProgressListener shown;
    private final Secrets secrets;

    private MaskedProgress(ProgressListener shown, Secrets secrets) {
        this.shown = shown;
        this.secrets = secrets;
    }

    /** {@code progress}, masking {@code secrets}; {@code progress} itself when there is none. */
    static ProgressListener of(ProgressListener progress, Secrets secrets) {
        return secrets.isEmpty() ? progress : new MaskedProgress(progress, secrets);
    }

    @Override
    public void stage(String stage, String message) {
        shown.stage(stage, secrets.mask(message));
    }

    @Override
    public void info(String message) {
        shown.info(secrets.mask(message));
    }

    @Override
    public void warn(String message) {
        shown.warn(secrets.mask(message));
    }

    @Override
    public void output(String source, String line) {
        shown.output(source, secrets.mask(line));
    }

    @Override
    public void transfer(String target, String release, long sent, long total, Duration elapsed) {
        shown.transfer(target, release, sent, total, elapsed);
    }

    @Override
    public void retrying(String target, String step, int retry, int attempts, String cause, Duration delay) {
        shown.retrying(target, step, retry, attempts, secrets.mask(cause), delay);
    }
}
