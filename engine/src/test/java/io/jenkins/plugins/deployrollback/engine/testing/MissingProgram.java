package io.jenkins.plugins.deployrollback.engine.testing;

import java.util.List;
import org.junit.AssumptionViolatedException;

/**
 * A test skipped because an operating-system program it runs is not installed here: JUnit reports it as
 * skipped, with a message naming the programs and the {@code apt-get install} line that enables it.
 */
public final class MissingProgram extends AssumptionViolatedException {
    private static final long serialVersionUID = 1L;

    private final transient List<SystemProgram> programs;

    MissingProgram(List<SystemProgram> programs) {
        super("Skipped: needs " + SystemProgram.describe(programs) + ", not installed here; "
                + SystemProgram.installLine(programs) + " enables it (with CI=true it fails instead)");
        this.programs = List.copyOf(programs);
    }

    /** The programs that are missing. */
    public List<SystemProgram> programs() {
        return programs;
    }
}
