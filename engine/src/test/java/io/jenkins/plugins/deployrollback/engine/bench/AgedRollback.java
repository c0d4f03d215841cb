package io.jenkins.plugins.deployrollback.engine.bench;

/**
 * Rollback latency on {@code hosts} hosts whose ledgers hold {@code ledgerLines} lines of earlier
 * operations ({@code ledgerBytes} each), as after years of deploys, against the floor and against the
 * same rollback on hosts with a fresh ledger measured earlier in the run.
 *
 * @param load the 1-minute load average when this measurement began
 */
record AgedRollback(int hosts, int ledgerLines, long ledgerBytes, double load, Samples floor, Breakdown rollback) {
    double ratio() {
        return rollback.wall().median() / floor.median();
    }
}
