package io.jenkins.plugins.deployrollback.engine.bench;

/**
 * Rollback latency on {@code hosts} hosts with releases of {@code sizeMib}: the floor's switches (both
 * directions), the engine's rollbacks and roll-forwards, and where their time went; and the rollback
 * on connections kept from the operation before ("warm"), as a long-lived Jenkins controller runs it.
 *
 * @param load the 1-minute load average when this measurement began
 */
record RollbackLatency(
        int hosts,
        int sizeMib,
        double load,
        Samples floor,
        Breakdown rollback,
        Breakdown rollForward,
        Breakdown warmRollback) {

    /** The target: a rollback takes at most this many times the floor. */
    static final double TARGET = 1.5;

    double ratio() {
        return rollback.wall().median() / floor.median();
    }

    double warmRatio() {
        return warmRollback.wall().median() / floor.median();
    }

    double rollForwardRatio() {
        return rollForward.wall().median() / floor.median();
    }
}
