/** The Reprise orchestrator. */
package dev.reprise.orchestrator;
