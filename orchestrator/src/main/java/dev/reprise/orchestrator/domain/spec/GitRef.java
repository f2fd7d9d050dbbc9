package dev.reprise.orchestrator.domain.spec;

/** The code version a sweep was submitted from. Every field is optional. */
public record GitRef(String repo, String commit, String branch, Boolean dirty) {
}
