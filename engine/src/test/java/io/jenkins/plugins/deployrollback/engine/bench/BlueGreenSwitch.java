package io.jenkins.plugins.deployrollback.engine.bench;

/**
 * Blue/green switch-back on {@code hosts} hosts: r1 on one slot, r2 on the other and live; the engine's
 * rollback to r1 (the live pointer switched back, nothing staged, the slots untouched) and roll-forward
 * to r2, against the same floor as the rollback latency (one {@code ssh} per host switching a link).
 *
 * @param load the 1-minute load average when this measurement began
 */
record BlueGreenSwitch(
        int hosts, int sizeMib, double load, Samples floor, Breakdown switchBack, Breakdown switchForward) {

    double ratio() {
        return switchBack.wall().median() / floor.median();
    }

    double forwardRatio() {
        return switchForward.wall().median() / floor.median();
    }
}
