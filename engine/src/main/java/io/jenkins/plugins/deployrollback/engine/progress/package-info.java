/** The port through which the engine tells its front end what it is doing, as it does it. */
package io.jenkins.plugins.deployrollback.engine.progress;
