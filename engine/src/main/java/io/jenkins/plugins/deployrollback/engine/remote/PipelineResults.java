package io.jenkins.plugins.deployrollback.engine.remote;

import io.jenkins.plugins.deployrollback.engine.flow.DeploymentResult;
import io.jenkins.plugins.deployrollback.engine.flow.VerifyResult;
import io.jenkins.plugins.deployrollback.engine.gate.CheckVerdict;
import io.jenkins.plugins.deployrollback.engine.gate.GateVerdict;
import io.jenkins.plugins.deployrollback.engine.gate.Measurement;
import io.jenkins.plugins.deployrollback.engine.gate.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An operation's result as a Pipeline script reads it ({@code r.live}, {@code r.gates[0].checks}):
 * maps and lists of plain values, made only of {@code String}, {@code Boolean}, {@code Integer},
 * {@code Long}, {@link ArrayList} and {@link LinkedHashMap}, so that a build persists them and a
 * sandboxed script reads them without any engine type. A value that is absent (no previous release,
 * no cause, no record) is left out rather than given as null: a script asks {@code r.previous} and
 * gets null either way, and some serializers refuse null values.
 *
 * <p>A deployment: {@code operation} ({@code deploy}, {@code rollback}, {@code roll-forward}),
 * {@code environment}, {@code release}, {@code previous}, {@code live}, {@code lastKnownGood},
 * {@code outcome} ({@code SUCCEEDED}, {@code FAILED}, {@code ROLLED_BACK}), {@code succeeded},
 * {@code changed}, {@code rolledBack}, {@code cause}, {@code recordId}, {@code warnings} and
 * {@code gates}. A verification: {@code environment}, {@code live}, {@code verdict}, {@code passed},
 * {@code gates}, {@code rollback} (a deployment, when one happened) and {@code rollbackRefused}.
 *
 * <p>Each gate: {@code name}, {@code verdict}, {@code reason} and {@code checks}, each check with
 * {@code name}, {@code kind}, {@code verdict}, {@code reason}, {@code dryRun}, {@code samples} and
 * {@code measurements}, each measurement with {@code sample}, {@code at} (ISO-8601 UTC),
 * {@code subject}, {@code observed}, {@code threshold} (empty when nothing was compared) and
 * {@code result}.
 */
public final class PipelineResults {
    private PipelineResults() {}

    /** The result of a deploy, rollback or roll-forward. */
    public static Map<String, Object> of(DeploymentResult result) {
        Map<String, Object> map = new LinkedHashMap<>();
        put(map, "operation", result.operation().label());
        put(map, "environment", result.environment());
        put(map, "release", result.release());
        put(map, "previous", result.previous());
        put(map, "live", result.live());
        put(map, "lastKnownGood", result.lastKnownGood());
        put(map, "outcome", result.outcome());
        put(map, "succeeded", result.succeeded());
        put(map, "changed", result.changed());
        put(map, "rolledBack", result.rolledBack());
        put(map, "cause", result.cause());
        if (result.record() != null) {
            put(map, "recordId", result.record().id());
        }
        put(
                map,
                "warnings",
                new ArrayList<>(
                        result.record() == null ? List.of() : result.record().warnings()));
        put(map, "gates", gates(result.gates()));
        return map;
    }

    /** The result of a verification, with the rollback it led to, if any. */
    public static Map<String, Object> of(VerifyResult result) {
        Map<String, Object> map = new LinkedHashMap<>();
        put(map, "environment", result.environment());
        put(map, "live", result.live());
        put(map, "verdict", result.verdict());
        put(map, "passed", result.verdict() == Verdict.PASS);
        put(map, "gates", gates(result.gates()));
        if (result.rollback() != null) {
            put(map, "rollback", of(result.rollback()));
        }
        put(map, "rollbackRefused", result.rollbackRefused());
        return map;
    }

    private static ArrayList<Object> gates(List<GateVerdict> gates) {
        ArrayList<Object> list = new ArrayList<>();
        for (GateVerdict gate : gates) {
            Map<String, Object> map = new LinkedHashMap<>();
            put(map, "name", gate.gate());
            put(map, "verdict", gate.verdict());
            put(map, "reason", gate.reason());
            ArrayList<Object> checks = new ArrayList<>();
            gate.checks().forEach(check -> checks.add(check(check)));
            put(map, "checks", checks);
            list.add(map);
        }
        return list;
    }

    private static Map<String, Object> check(CheckVerdict check) {
        Map<String, Object> map = new LinkedHashMap<>();
        put(map, "name", check.check());
        put(map, "kind", check.kind());
        put(map, "verdict", check.verdict());
        put(map, "reason", check.reason());
        put(map, "dryRun", check.dryRun());
        put(map, "samples", check.samples());
        ArrayList<Object> measurements = new ArrayList<>();
        for (Measurement m : check.measurements()) {
            Map<String, Object> measurement = new LinkedHashMap<>();
            put(measurement, "sample", m.sample());
            put(measurement, "at", m.at());
            put(measurement, "subject", m.subject());
            put(measurement, "observed", m.observed());
            put(measurement, "threshold", m.threshold());
            put(measurement, "result", m.result());
            measurements.add(measurement);
        }
        put(map, "measurements", measurements);
        return map;
    }

    /**
     * Puts {@code value} as a plain value: kept when it already is one (strings, booleans, numbers,
     * the lists and maps built here), otherwise its text (release ids, names, enums, instants); left
     * out when null.
     */
    private static void put(Map<String, Object> map, String key, Object value) {
        if (value == null) {
            return;
        }
        boolean plain = value instanceof String
                || value instanceof Boolean
                || value instanceof Integer
                || value instanceof Long
                || value instanceof ArrayList
                || value instanceof LinkedHashMap;
        map.put(key, plain ? value : value.toString());
    }
}
