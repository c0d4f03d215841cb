/**
 * The command-line front end: parses arguments and the YAML configuration, calls the engine,
 * renders results as text or JSON. No deployment behaviour lives here.
 */
package io.jenkins.plugins.deployrollback.cli;
