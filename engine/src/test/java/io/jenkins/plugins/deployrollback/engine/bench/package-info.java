/**
 * The benchmark command ({@code mvn -Pbenchmark -pl engine verify}): rollback latency and deploy
 * throughput over real sshd hosts, each measured against plain OpenSSH doing the same work in the same
 * run. Not a test: it measures, prints and writes a report; it never fails on a slow number.
 */
package io.jenkins.plugins.deployrollback.engine.bench;
