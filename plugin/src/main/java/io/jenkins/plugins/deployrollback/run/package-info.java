/**
 * Running the engine for a step or a button: credentials resolved on the controller, the engine run
 * where the workspace is, history, artifacts and approvals answered by the controller over the wires.
 */
package io.jenkins.plugins.deployrollback.run;
