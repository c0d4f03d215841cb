/**
 * How a Pipeline describes an environment: its hosts, credentials, hooks, gates and strategy, as Jenkins
 * data-bound values that the Snippet Generator can write, each turned into the engine's own value.
 */
package io.jenkins.plugins.deployrollback.config;
