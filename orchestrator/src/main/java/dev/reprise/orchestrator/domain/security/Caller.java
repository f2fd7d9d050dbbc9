package dev.reprise.orchestrator.domain.security;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is calling and what it may do: a role per project, optionally a role in every project, or (for an agent) the
 * one run attempt its run token names.
 *
 * @param subject      the person or automation the call acts for; recorded as sweep owner and in the audit log
 * @param kind         how the caller authenticated
 * @param globalRole   a role in every project (the bootstrap admin, OIDC groups such as reprise:admin); null if none
 * @param projectRoles the role in each named project
 * @param run          for {@link Kind#RUN}: the run attempt the token is scoped to; null otherwise
 * @param credentialId which credential authenticated the call (token:ID, oidc:SUBJECT, bootstrap, run:ID/ATTEMPT):
 *                     rate limits count per credential
 */
public record Caller(String subject, Kind kind, Role globalRole, Map<String, Role> projectRoles, RunScope run,
        String credentialId) {

    /** How a caller authenticated. */
    public enum Kind {
        /** A person with an OIDC bearer token. */
        OIDC,
        /** A Reprise API token (CLI, automation) or the dashboard session cookie made from one. */
        API_TOKEN,
        /** The bootstrap/local admin token from the configuration. */
        BOOTSTRAP,
        /** An agent with the run token of one run attempt. */
        RUN
    }

    /** The run attempt a run token is scoped to, with the project and data snapshot of its sweep. */
    public record RunScope(long runId, int attempt, String project, String snapshotId) {
    }

    public Caller {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(credentialId, "credentialId");
        projectRoles = Map.copyOf(projectRoles);
    }

    /** The caller's role in the project, or empty. Run tokens have no project role: they only report. */
    public Optional<Role> roleIn(String project) {
        if (kind == Kind.RUN) {
            return Optional.empty();
        }
        return Optional.ofNullable(Role.max(globalRole, project == null ? null : projectRoles.get(project)));
    }

    public boolean has(Role role, String project) {
        return roleIn(project).map(r -> r.atLeast(role)).orElse(false);
    }

    /** Whether the caller has at least the role in some project (or in all). */
    public boolean hasSomewhere(Role role) {
        if (kind == Kind.RUN) {
            return false;
        }
        if (globalRole != null && globalRole.atLeast(role)) {
            return true;
        }
        return projectRoles.values().stream().anyMatch(r -> r.atLeast(role));
    }

    /** The projects the caller may read, or empty when it may read every project. */
    public Optional<Set<String>> visibleProjects() {
        if (globalRole != null) {
            return Optional.empty();
        }
        return Optional.of(new TreeSet<>(projectRoles.keySet()));
    }
}
