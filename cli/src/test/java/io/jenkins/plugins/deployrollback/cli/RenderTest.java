package io.jenkins.plugins.deployrollback.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.environment.EnvironmentName;
import io.jenkins.plugins.deployrollback.engine.flow.EnvironmentStatus;
import io.jenkins.plugins.deployrollback.engine.history.AttemptInProgress;
import io.jenkins.plugins.deployrollback.engine.history.Operation;
import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.targets.LedgerEntry;
import io.jenkins.plugins.deployrollback.engine.targets.StagedRelease;
import io.jenkins.plugins.deployrollback.engine.targets.TargetState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class RenderTest {
    private static final EnvironmentName PRODUCTION = EnvironmentName.of("production");
    private static final ReleaseId R1 = ReleaseId.of("r1");
    private static final ReleaseId R2 = ReleaseId.of("r2");
    private static final Instant AT = Instant.parse("2026-11-23T10:00:01Z");

    private static TargetState target(String name, ReleaseId current, Map<String, ReleaseId> slots) {
        List<StagedRelease> releases = List.of(new StagedRelease(R1, "d1", AT), new StagedRelease(R2, "d2", AT));
        LedgerEntry lastSwitch = current == null
                ? null
                : new LedgerEntry(
                        AT,
                        LedgerEntry.SWITCH,
                        PRODUCTION,
                        "deploy",
                        "alice",
                        current.equals(R2) ? R1 : null,
                        current,
                        null);
        return new TargetState(name, current, releases, null, List.of(), slots, lastSwitch);
    }

    private static String render(EnvironmentStatus status) {
        StringWriter text = new StringWriter();
        Render.status(new PrintWriter(text), status);
        return text.toString();
    }

    private static EnvironmentStatus status(
            ReleaseId recorded, List<TargetState> targets, boolean consistent, AttemptInProgress unfinished) {
        return new EnvironmentStatus(PRODUCTION, recorded, R1, null, targets, consistent, unfinished, List.of());
    }

    @Test
    public void consistentEnvironmentSaysWhatEveryTargetServesAndWhoSwitchedItLast() {
        String out =
                render(status(R2, List.of(target("web-1", R2, Map.of()), target("web-2", R2, Map.of())), true, null));

        assertThat(out.lines().toList())
                .containsExactly(
                        "Environment production: live r2 (recorded), last known good r1 - consistent: every target serves r2",
                        "TARGET  LIVE  RELEASES ON TARGET (oldest first)  LOCK  LAST SWITCH (UTC)",
                        "web-1   r2    r1 r2                              -     r1 -> r2 by alice (deploy) at 2026-11-23 10:00:01",
                        "web-2   r2    r1 r2                              -     r1 -> r2 by alice (deploy) at 2026-11-23 10:00:01");
    }

    @Test
    public void mixedEnvironmentGroupsTheTargetsByTheReleaseTheyServeNothingIncluded() {
        String out = render(status(
                R2,
                List.of(
                        target("web-1", R2, Map.of()),
                        target("web-2", R2, Map.of()),
                        target("web-3", R1, Map.of()),
                        target("web-4", null, Map.of()),
                        target("web-5", R1, Map.of())),
                false,
                null));

        assertThat(out)
                .startsWith("Environment production: live r2 (recorded), last known good r1 - MIXED: web-1, web-2 serve"
                        + " r2; web-3, web-5 serve r1; web-4 serves nothing\n")
                .contains("web-3   r1    r1 r2                              -     nothing -> r1 by alice (deploy) at"
                        + " 2026-11-23 10:00:01")
                .containsPattern("web-4 +- +r1 r2 +- +-\n");
    }

    @Test
    public void targetsThatAgreeWithEachOtherButNotWithTheHistoryAreMixedToo() {
        assertThat(render(
                        status(R1, List.of(target("web-1", R2, Map.of()), target("web-2", R2, Map.of())), false, null)))
                .startsWith("Environment production: live r1 (recorded), last known good r1 - MIXED: every target"
                        + " serves r2, but the history records r1 as live\n");
        assertThat(render(status(R1, List.of(target("web-1", R2, Map.of())), false, null)))
                .contains("- MIXED: web-1 serves r2, but the history records r1 as live\n");
    }

    @Test
    public void slotsAreShownOnlyWhenATargetHasThem() {
        String out = render(status(
                R2,
                List.of(target("web-1", R2, Map.of("green", R2, "blue", R1)), target("web-2", R2, Map.of())),
                true,
                null));

        assertThat(out.lines().skip(1).toList())
                .containsExactly(
                        "TARGET  LIVE  SLOTS             RELEASES ON TARGET (oldest first)  LOCK  LAST SWITCH (UTC)",
                        "web-1   r2    blue=r1 green=r2  r1 r2                              -     r1 -> r2 by alice (deploy) at 2026-11-23 10:00:01",
                        "web-2   r2    -                 r1 r2                              -     r1 -> r2 by alice (deploy) at 2026-11-23 10:00:01");
    }

    @Test
    public void unfinishedAttemptSaysHowToCompleteItOrGoBack() {
        AttemptInProgress unfinished = new AttemptInProgress("a1", PRODUCTION, Operation.DEPLOY, R2, R1, "alice", AT);

        String out = render(status(R1, List.of(target("web-1", R2, Map.of())), false, unfinished));

        assertThat(out)
                .contains("Unfinished: deploy of r2 (from r1) by alice, started 2026-11-23T10:00:01Z. Run the same"
                        + " command again to complete it, or run rollback to bring every target back to r1.\n");
    }
}
