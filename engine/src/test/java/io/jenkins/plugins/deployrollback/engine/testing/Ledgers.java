package io.jenkins.plugins.deployrollback.engine.testing;

import io.jenkins.plugins.deployrollback.engine.support.Json;
import io.jenkins.plugins.deployrollback.engine.targets.LedgerEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a target's ledger the way a person would ask it: which switches did this target see? */
public final class Ledgers {
    private Ledgers() {}

    /** The switches the ledger under {@code root} records, oldest first, as {@code from->to} ({@code null->r1}). */
    public static List<String> switches(Path root) throws IOException {
        List<String> switches = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve(".deploy/ledger"))) {
            LedgerEntry entry = Json.mapper().readValue(line, LedgerEntry.class);
            if (LedgerEntry.SWITCH.equals(entry.event())) {
                switches.add(entry.from() + "->" + entry.to());
            }
        }
        return switches;
    }
}
