package io.jenkins.plugins.deployrollback.engine.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.deployrollback.engine.targets.LockInfo;
import io.jenkins.plugins.deployrollback.engine.targets.LockLostException;
import io.jenkins.plugins.deployrollback.engine.targets.TargetLock;
import io.jenkins.plugins.deployrollback.engine.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * How the heartbeat tells a passing failure to renew from a lost lock. The lock is a stand-in whose
 * renewals fail on demand: an I/O error on a real lock file cannot be produced at will.
 */
public class HeldLocksTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T10:00:00Z"));
    /** A lock whose next renewals fail with the given errors, then succeed. */
    private static final class FlakyLock implements TargetLock {
        final List<IOException> failures = new ArrayList<>();
        int renewals;
        boolean closed;

        @Override
        public LockInfo info() {
            return null;
        }

        @Override
        public synchronized void refresh() throws IOException {
            renewals++;
            if (!failures.isEmpty()) {
                throw failures.remove(0);
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    public void passingFailureToRenewIsRetriedAndTheLockStaysHeld() throws Exception {
        List<String> warnings = new ArrayList<>();
        FlakyLock lock = new FlakyLock();
        try (HeldLocks locks = new HeldLocks(warnings::add, clock)) {
            locks.add("web-1", lock);
            locks.keepAlive(Duration.ofMinutes(5));
            lock.failures.add(new IOException("disk busy"));

            clock.advance(HeldLocks.FRESH);
            locks.ensureHeld();
            clock.advance(HeldLocks.FRESH);
            locks.ensureHeld();
        }

        assertThat(warnings).containsExactly("Could not renew a lock (disk busy); trying again before it expires");
        assertThat(lock.renewals).isEqualTo(2);
        assertThat(lock.closed).isTrue();
    }

    @Test
    public void lockTakenOverIsLostAtOnceAndForGood() throws Exception {
        FlakyLock lock = new FlakyLock();
        try (HeldLocks locks = new HeldLocks(w -> {}, clock)) {
            locks.add("web-1", lock);
            locks.keepAlive(Duration.ofMinutes(5));
            lock.failures.add(new LockLostException("taken over by bob"));
            clock.advance(HeldLocks.FRESH);

            assertThatThrownBy(locks::ensureHeld)
                    .isInstanceOf(LockLostException.class)
                    .hasMessage("taken over by bob");
            assertThatThrownBy(locks::ensureHeld)
                    .isInstanceOf(LockLostException.class)
                    .hasMessage("taken over by bob");
        }
    }

    @Test
    public void lockThatCannotBeRenewedBeforeItExpiresIsLost() throws Exception {
        FlakyLock lock = new FlakyLock();
        try (HeldLocks locks = new HeldLocks(w -> {}, clock)) {
            locks.add("web-1", lock);
            locks.keepAlive(Duration.ZERO);
            lock.failures.add(new IOException("target unreachable"));
            clock.advance(HeldLocks.FRESH);

            assertThatThrownBy(locks::ensureHeld)
                    .isInstanceOf(LockLostException.class)
                    .hasMessageContaining("could not be renewed before it expired (target unreachable)");
        }
    }

    @Test
    public void aLockConfirmedUnderASecondAgoWithOnlyTheFlowSinceIsNotAskedAgain() throws Exception {
        FlakyLock lock = new FlakyLock();
        try (HeldLocks locks = new HeldLocks(w -> {}, clock)) {
            locks.add("web-1", lock);

            locks.ensureHeld("web-1");
            clock.advance(HeldLocks.FRESH.minusMillis(1));
            locks.ensureHeld();
            assertThat(lock.renewals).as("just taken").isZero();

            clock.advance(Duration.ofMillis(1));
            locks.ensureHeld("web-1");
            locks.ensureHeld("web-1");
            assertThat(lock.renewals)
                    .as("asked once a second had passed, then fresh again")
                    .isEqualTo(1);
        }
    }

    @Test
    public void afterAHookOrAGateEachLockIsAskedHoweverRecentlyConfirmed() throws Exception {
        FlakyLock web1 = new FlakyLock();
        FlakyLock web2 = new FlakyLock();
        try (HeldLocks locks = new HeldLocks(w -> {}, clock)) {
            locks.add("web-1", web1);
            locks.add("web-2", web2);

            locks.outsideWorkRan("web-1");
            locks.ensureHeld();
            assertThat(web1.renewals).as("a hook ran on web-1").isEqualTo(1);
            assertThat(web2.renewals).isZero();

            locks.outsideWorkRan();
            web2.failures.add(new LockLostException("taken over by bob"));
            assertThatThrownBy(() -> locks.ensureHeld("web-2"))
                    .isInstanceOf(LockLostException.class)
                    .hasMessage("taken over by bob");
        }
    }
}
