/**
 * Hooks: the user's commands that run before or after the switch, on a deployment, on a rollback or
 * on both, with a timeout that really stops them.
 */
package io.jenkins.plugins.deployrollback.engine.hook;
