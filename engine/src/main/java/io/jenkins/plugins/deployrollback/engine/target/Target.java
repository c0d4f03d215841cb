package io.jenkins.plugins.deployrollback.engine.target;

import java.io.IOException;

/** A place releases are installed on; {@link #open} starts the one session an operation uses. */
public interface Target {
    /** A short name for people and reports ({@code web-1}, {@code local:/srv/app}). */
    String name();

    /** Opens a session for every step of one operation; close it when the operation ends. */
    TargetSession open(OperationContext context) throws IOException;
}
