package io.jenkins.plugins.deployrollback.engine.support;

/**
 * Named points in the flow where a test can make the process die on the spot, the way {@code kill -9}
 * would: no finally blocks, no shutdown hooks, files left as they are. The crash-safety tests start
 * the command line with {@code -Ddeployrollback.crashAt=<point>} and check that the target still
 * serves a release, the history still reads and a rerun completes. Without that property this is a
 * no-op.
 */
public final class CrashPoint {
    /** The system property that names the point at which to die. */
    public static final String PROPERTY = "deployrollback.crashAt";

    /** Exit status of a process that died at a crash point (as if killed by signal 9). */
    public static final int EXIT_STATUS = 137;

    private CrashPoint() {}

    /** Dies here when the process was started to die at {@code point}. */
    public static void reach(String point) {
        if (point.equals(System.getProperty(PROPERTY))) {
            System.err.flush();
            System.out.flush();
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}
