package io.jenkins.plugins.deployrollback.engine.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;

public class MachineTest {
    @Test
    public void thisProcessIsAlive() {
        assertThat(Machine.mayBeAlive(Machine.pid(), Machine.processStart())).isTrue();
    }

    @Test
    public void processWithAnotherStartTimeIsAReusedIdNotTheHolder() {
        assertThat(Machine.mayBeAlive(Machine.pid(), Machine.processStart().minusSeconds(3600)))
                .isFalse();
    }

    @Test
    public void killedProcessNotYetCollectedByItsParentHoldsNothing() throws Exception {
        // sh starts a child that exits a moment later, after sh has become "sleep 30", which never collects
        // it: a zombie. (A child that exits at once may be collected by sh itself before the exec.)
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.5 & echo $!; exec sleep 30").start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            long zombie = Long.parseLong(out.readLine().trim());
            Path stat = Path.of("/proc", String.valueOf(zombie), "stat");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!Files.readString(stat).contains(") Z ") && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }

            assertThat(Files.readString(stat)).as("a zombie").contains(") Z ");
            assertThat(Machine.mayBeAlive(zombie, null)).isFalse();
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }
}
