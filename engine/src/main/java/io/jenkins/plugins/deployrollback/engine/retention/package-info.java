/** Which release folders a target keeps (the newest N, and always the live, previous and last known good ones), and which kept artifact copies a state folder keeps. */
package io.jenkins.plugins.deployrollback.engine.retention;
