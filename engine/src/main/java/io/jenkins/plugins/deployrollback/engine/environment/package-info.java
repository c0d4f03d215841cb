/** What an environment is: its validated name, its targets, hooks, health checks and retention. */
package io.jenkins.plugins.deployrollback.engine.environment;
