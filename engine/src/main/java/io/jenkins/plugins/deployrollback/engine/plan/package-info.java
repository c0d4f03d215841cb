/**
 * Plans: before anything changes, what a deploy, rollback or roll-forward will do on each target
 * (switch only, or stage again), which hooks run and which are skipped, and what stands in the way.
 */
package io.jenkins.plugins.deployrollback.engine.plan;
