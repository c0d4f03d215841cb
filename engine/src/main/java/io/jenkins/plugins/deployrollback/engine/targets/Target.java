package io.jenkins.plugins.deployrollback.engine.targets;

import io.jenkins.plugins.deployrollback.engine.support.Secrets;
import java.io.IOException;

/** A place releases are installed on; {@link #open} starts the one session an operation uses. */
public interface Target {
    /** A short name for people and reports ({@code web-1}, {@code local:/srv/app}). */
    String name();

    /**
     * The host the target's applications are reached at, for gates that ask each target
     * ({@code {host}} in a URL): an SSH target's host; {@code localhost} for a folder on this machine.
     */
    default String host() {
        return "localhost";
    }

    /**
     * The secrets this target logs in with (an SSH key and its passphrase), masked in the output of
     * every command of an operation on its environment; none for a folder on this machine.
     */
    default Secrets secrets() {
        return Secrets.NONE;
    }

    /** Opens a session for every step of one operation; close it when the operation ends. */
    TargetSession open(OperationContext context) throws IOException;
}
