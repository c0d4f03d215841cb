package io.jenkins.plugins.deployrollback.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.release.ReleaseId;
import io.jenkins.plugins.deployrollback.engine.targets.StagedRelease;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.Test;

public class RetentionPolicyTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    /** Releases r1 … rN, each last used one hour after the one before, listed in {@code order}. */
    private static List<StagedRelease> present(int... order) {
        List<StagedRelease> releases = new ArrayList<>();
        for (int n : order) {
            releases.add(new StagedRelease(ReleaseId.of("r" + n), "d" + n, T0.plusSeconds(3600L * n)));
        }
        return releases;
    }

    private static List<ReleaseId> ids(String... ids) {
        return java.util.Arrays.stream(ids).map(ReleaseId::of).toList();
    }

    @Test
    public void newestReleasesByLastUseAreKeptWhateverTheirOrder() {
        RetentionPolicy policy = new RetentionPolicy(3, 3);

        List<ReleaseId> remove = policy.toRemove(present(4, 1, 6, 2, 5, 3), Set.of());

        assertThat(remove).containsExactly(ReleaseId.of("r3"), ReleaseId.of("r2"), ReleaseId.of("r1"));
    }

    @Test
    public void lastUseDecidesNotTheId() {
        RetentionPolicy policy = new RetentionPolicy(1, 3);
        List<StagedRelease> present = List.of(
                new StagedRelease(ReleaseId.of("r9"), "a", T0),
                new StagedRelease(ReleaseId.of("r1"), "b", T0.plusSeconds(60)));

        assertThat(policy.toRemove(present, Set.of())).containsExactly(ReleaseId.of("r9"));
    }

    @Test
    public void nothingIsRemovedWhileThereAreNoMoreThanN() {
        assertThat(new RetentionPolicy(5, 3).toRemove(present(1, 2, 3, 4, 5), Set.of()))
                .isEmpty();
        assertThat(new RetentionPolicy(5, 3).toRemove(List.of(), Set.of())).isEmpty();
    }

    @Test
    public void protectedReleasesAreNeverRemovedEvenWhenOldest() {
        RetentionPolicy policy = new RetentionPolicy(2, 3);

        List<ReleaseId> remove = policy.toRemove(present(1, 2, 3, 4, 5, 6), Set.copyOf(ids("r1", "r3")));

        assertThat(remove).containsExactly(ReleaseId.of("r4"), ReleaseId.of("r2"));
    }

    @Test
    public void protectedReleasesCountTowardsTheNewestKept() {
        RetentionPolicy policy = new RetentionPolicy(2, 3);

        List<ReleaseId> remove = policy.toRemove(present(1, 2, 3), Set.copyOf(ids("r3")));

        assertThat(remove).containsExactly(ReleaseId.of("r1"));
    }

    @Test
    public void releasesUsedAtTheSameMomentAreOrderedByIdNewestFirst() {
        RetentionPolicy policy = new RetentionPolicy(1, 3);
        List<StagedRelease> present =
                List.of(new StagedRelease(ReleaseId.of("r1"), "a", T0), new StagedRelease(ReleaseId.of("r2"), "b", T0));

        assertThat(policy.toRemove(present, Set.of())).containsExactly(ReleaseId.of("r1"));
    }

    @Test
    public void keepCountsOutsideTheirBoundsAreRefusedSayingTheBounds() {
        assertThatThrownBy(() -> new RetentionPolicy(0, 3))
                .hasMessage("keepReleases is 0: keep between 1 and 1000 releases");
        assertThatThrownBy(() -> new RetentionPolicy(1001, 3)).hasMessageContaining("keep between 1 and 1000 releases");
        assertThatThrownBy(() -> new RetentionPolicy(5, -1))
                .hasMessage("keepFailed is -1: keep between 0 and 1000 failed releases");
        assertThat(new RetentionPolicy(1, 0).keepFailed()).isZero();
        assertThat(RetentionPolicy.DEFAULT).isEqualTo(new RetentionPolicy(5, 3));
    }
}
