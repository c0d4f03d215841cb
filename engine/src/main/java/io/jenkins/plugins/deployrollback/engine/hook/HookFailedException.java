package io.jenkins.plugins.deployrollback.engine.hook;

/** A hook exited with a non-zero status or ran past its timeout. */
public class HookFailedException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    private final transient HookRun run;

    public HookFailedException(HookRun run) {
        super("Hook " + run.describe()
                + (run.lastOutput().isEmpty() ? "" : "; last output: " + String.join(" | ", run.lastOutput())));
        this.run = run;
    }

    public HookRun run() {
        return run;
    }
}
