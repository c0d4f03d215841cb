package io.jenkins.plugins.deployrollback.engine.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Done;
import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.OnFailure;
import io.jenkins.plugins.deployrollback.engine.flow.TargetWorkers.Results;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.After;
import org.junit.Test;

/** How the threads of an operation share out one step over its targets. */
public class TargetWorkersTest {
    private final List<String> warnings = new ArrayList<>();
    private TargetWorkers workers;

    @After
    public void tearDown() {
        workers.close();
        assertThat(warnings).isEmpty();
    }

    @Test
    public void resultsComeInTargetOrderWhateverOrderTheTargetsFinishedIn() throws Exception {
        workers = new TargetWorkers(3, 3, warnings::add);
        CountDownLatch lastDone = new CountDownLatch(1);

        Results<String> results =
                workers.run(List.of("web-1", "web-2", "web-3"), Function.identity(), OnFailure.STOP, t -> {
                    if (t.equals("web-1")) {
                        awaitOrFail(lastDone);
                    }
                    if (t.equals("web-3")) {
                        lastDone.countDown();
                    }
                    return Thread.currentThread().getName();
                });

        assertThat(results.done()).extracting(Done::target).containsExactly("web-1", "web-2", "web-3");
        assertThat(results.values()).containsExactly("target-web-1", "target-web-2", "target-web-3");
    }

    private static void awaitOrFail(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(1, TimeUnit.MINUTES)) {
                throw new IOException("timed out");
            }
        } catch (InterruptedException e) {
            throw new IOException("interrupted", e);
        }
    }

    @Test
    public void noMoreTargetsThanTheConcurrencyAreWorkedOnAtOnce() throws Exception {
        workers = new TargetWorkers(2, 6, warnings::add);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        // Each target waits for a partner: two really run at once, and a third never joins them.
        CyclicBarrier pairs = new CyclicBarrier(2);

        Results<Void> results = workers.run(
                List.of("web-1", "web-2", "web-3", "web-4", "web-5", "web-6"),
                Function.identity(),
                OnFailure.STOP,
                t -> {
                    most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    try {
                        pairs.await(1, TimeUnit.MINUTES);
                    } catch (Exception e) {
                        throw new IOException("no partner for " + t, e);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                    return null;
                });

        assertThat(results.anyFailed()).isFalse();
        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    public void allOrNothingStepStartsNoTargetAfterAFailure() throws Exception {
        workers = new TargetWorkers(1, 3, warnings::add);

        Results<String> results =
                workers.run(List.of("web-1", "web-2", "web-3"), Function.identity(), OnFailure.STOP, t -> {
                    throw new IOException("connection refused");
                });

        assertThat(results.failed()).extracting(Done::target).containsExactly("web-1");
        assertThat(results.notStarted()).containsExactly("web-2", "web-3");
    }

    @Test
    public void bestEffortStepTriesEveryTarget() throws Exception {
        workers = new TargetWorkers(1, 3, warnings::add);

        Results<String> results =
                workers.run(List.of("web-1", "web-2", "web-3"), Function.identity(), OnFailure.CONTINUE, t -> {
                    if (t.equals("web-2")) {
                        throw new IOException("disk full");
                    }
                    return t;
                });

        assertThat(results.failed()).extracting(Done::target).containsExactly("web-2");
        assertThat(results.values()).containsExactly("web-1", "web-3");
        assertThat(results.notStarted()).isEmpty();
    }
}
