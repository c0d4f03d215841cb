/** The local target: a folder on the machine running the engine, the embedded default. */
package io.jenkins.plugins.deployrollback.engine.targets.local;
