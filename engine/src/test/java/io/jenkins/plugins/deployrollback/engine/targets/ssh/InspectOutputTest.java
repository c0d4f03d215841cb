package io.jenkins.plugins.deployrollback.engine.targets.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.targets.StagedRelease;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import java.io.IOException;
import java.time.Instant;
import org.junit.Test;

/** Reading what the INSPECT script prints, without a host: each kind of line, and the ledger's summary. */
public class InspectOutputTest {
    private static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\n-----END OPENSSH PRIVATE KEY-----\n";
    private static final SshTarget TARGET = new SshTarget(
            "web-1",
            "web-1.example.com",
            22,
            "/srv/app",
            SshCredentials.ofKeyText("deploy", KEY, null, "test key"),
            HostKeyVerification.knownHosts(""),
            null);
    private static final String DIGEST = "a".repeat(64);

    private static String ledgerLine(String at, String event, String from, String to) {
        return "{\"at\":\"" + at + "\",\"event\":\"" + event + "\",\"environment\":\"production\","
                + "\"operation\":\"deploy\",\"actor\":\"alice\"" + (from == null ? "" : ",\"from\":\"" + from + "\"")
                + ",\"to\":\"" + to + "\"}";
    }

    @Test
    public void theLedgerLinesPickedOnTheHostNewestFirstAreReadInLedgerOrder() throws IOException {
        String out = String.join(
                "\n",
                "C releases/r2",
                "R d 1700000000 r1",
                "R d 1700000100 r2",
                DIGEST + "  .deploy/manifests/r1",
                "S blue releases/r1",
                "G",
                "#torn 9 12",
                "8\t" + ledgerLine("2026-12-07T10:08:00Z", "switch", "r1", "r2"),
                "#unreadable 7",
                "5\t" + ledgerLine("2026-12-07T10:05:00Z", "stage", null, "r2"),
                "3\t" + ledgerLine("2026-12-07T10:03:00Z", "switch", null, "r1"),
                "");

        TargetState state = new InspectOutput(TARGET).state(out);

        assertThat(state.current()).isEqualTo(ReleaseId.of("r2"));
        assertThat(state.slots()).containsEntry("blue", ReleaseId.of("r1"));
        assertThat(state.lastSwitch().to()).isEqualTo(ReleaseId.of("r2"));
        assertThat(state.releases())
                .extracting(StagedRelease::id, StagedRelease::digest, StagedRelease::lastUsed)
                .containsExactly(
                        tuple(ReleaseId.of("r1"), DIGEST, Instant.parse("2026-12-07T10:03:00Z")),
                        tuple(ReleaseId.of("r2"), null, Instant.parse("2026-12-07T10:08:00Z")));
        assertThat(state.problems())
                .containsExactly(
                        "web-1:/srv/app/.deploy/ledger: the last record (line 9, 12 bytes) is incomplete, left by a"
                                + " writer that was interrupted; it was ignored",
                        "web-1:/srv/app/.deploy/ledger: line 7 is unreadable and was ignored (not a JSON object)");
    }

    @Test
    public void aReleaseWithoutALedgerLineIsLastUsedWhenItsFolderChanged() throws IOException {
        TargetState state = new InspectOutput(TARGET).state("R d 1700000000 r1\nG\n");

        assertThat(state.releases())
                .singleElement()
                .extracting(StagedRelease::lastUsed)
                .isEqualTo(Instant.ofEpochSecond(1700000000));
        assertThat(state.lastSwitch()).isNull();
    }

    @Test
    public void oddEntriesAreProblemsOfTheStateNotFailures() throws IOException {
        TargetState state = new InspectOutput(TARGET)
                .state("N\nR f 1700000000 r1\nR d 1700000000 not a release\nS green elsewhere\nW\nG\n");

        assertThat(state.releases()).isEmpty();
        assertThat(state.problems())
                .contains(
                        "releases/r1 is not a folder",
                        "releases/not a release is not a release folder (its name is not a release id)",
                        "slots/green points to elsewhere, which is not a release folder of this target");
    }

    @Test
    public void anUnreadableLockStopsTheReadingNamingTheFileAndWhatToDo() {
        assertThatThrownBy(() -> new InspectOutput(TARGET).state("L {not json\nG\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("deploy@web-1.example.com:22:/srv/app/.deploy/lock is unreadable")
                .hasMessageContaining("if no operation is running on web-1, remove it");
    }
}
