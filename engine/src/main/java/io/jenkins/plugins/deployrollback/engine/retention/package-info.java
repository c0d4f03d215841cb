/** Which release folders a target keeps: the newest N, and always the live, previous and last known good ones. */
package io.jenkins.plugins.deployrollback.engine.retention;
