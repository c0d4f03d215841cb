/**
 * How a release goes live across an environment's targets: all at once, in rolling batches, in
 * canary steps, or on the idle one of two blue/green slots. A strategy is a value; the flow carries it out.
 */
package io.jenkins.plugins.deployrollback.engine.strategy;
