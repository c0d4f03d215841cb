/**
 * The Deploy Rollback engine: everything a deployment, a rollback or a roll-forward does, free of
 * any Jenkins type, so that the same behaviour runs in Jenkins, in the command line and in tests.
 * {@link io.jenkins.plugins.deployrollback.engine.flow.DeploymentEngine} is the entry point.
 */
package io.jenkins.plugins.deployrollback.engine;
