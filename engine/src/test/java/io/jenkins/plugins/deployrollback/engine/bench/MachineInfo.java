package io.jenkins.plugins.deployrollback.engine.bench;

import io.jenkins.plugins.deployrollback.engine.testing.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The machine a run measured on, for the report: numbers mean little without it. */
record MachineInfo(Instant at, int cores, String cpu, String kernel, String java, String openSsh, double loadAverage) {

    static MachineInfo now() {
        return new MachineInfo(
                Instant.now(),
                Runtime.getRuntime().availableProcessors(),
                cpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                openSshVersion(),
                loadAverageNow());
    }

    MachineInfo withLoadNow() {
        return new MachineInfo(Instant.now(), cores, cpu, kernel, java, openSsh, loadAverageNow());
    }

    String describe() {
        return cores + " cores (" + cpu + "), " + kernel + ", " + java + ", " + openSsh + ", load average "
                + loadAverage;
    }

    /** The 1-minute load average, or -1 where /proc/loadavg is missing. */
    static double loadAverageNow() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String openSshVersion() {
        try {
            ExecResult result = ExecResult.run(List.of("ssh", "-V"), Duration.ofSeconds(10));
            return result.stderr().trim();
        } catch (IOException e) {
            return "OpenSSH client not found";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown OpenSSH";
        }
    }
}
