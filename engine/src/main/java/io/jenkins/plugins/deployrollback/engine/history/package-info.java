/**
 * The history of every environment: append-only deployment records, from which the live release,
 * the last known good release and every other answer are derived, never stored twice.
 */
package io.jenkins.plugins.deployrollback.engine.history;
