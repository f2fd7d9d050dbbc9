package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.domain.error.BadInputException;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.persistence.ApiTokenEntity;
import dev.reprise.orchestrator.persistence.AuditRepository;
import dev.reprise.orchestrator.persistence.MemberRepository;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the token, member, session and audit endpoints. */
public final class SecurityViews {

    private SecurityViews() {
    }

    @Schema(name = "TokenRequest")
    public record TokenRequest(
            @Schema(description = "Project the token is scoped to; * for every project (admins only)") String project,
            @Schema(description = "viewer, member, maintainer or admin; at most the creator's role") String role,
            @Schema(description = "Lifetime such as 30d, 12h or 90m (default 30d, at most 365d)") String expiresIn,
            @Schema(description = "What the token is for") String name,
            @Schema(description = "Whom the token acts for (owner of what it submits); default: the creator")
            String subject) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Token", description = "An API token; the secret is only in the answer that created it")
    public record TokenView(long id, String name, String project, String role, String subject, Instant createdAt,
            String createdBy, Instant expiresAt, Instant revokedAt, Instant lastUsedAt,
            @Schema(description = "The secret: shown once, at creation") String token) {

        static TokenView of(ApiTokenEntity t, String secret) {
            return new TokenView(t.id, t.name, t.project, t.role, t.subject, t.createdAt, t.createdBy, t.expiresAt,
                    t.revokedAt, t.lastUsedAt, secret);
        }
    }

    @Schema(name = "MemberRequest")
    public record MemberRequest(@Schema(description = "viewer, member, maintainer or admin") String role) {
    }

    @Schema(name = "Member")
    public record MemberView(String project, String subject, String role, Instant createdAt, String createdBy) {
        static MemberView of(MemberRepository.Member m) {
            return new MemberView(m.project(), m.subject(), m.role(), m.createdAt(), m.createdBy());
        }
    }

    @Schema(name = "LoginRequest")
    public record LoginRequest(@Schema(description = "An API token or the local admin token") String token) {
    }

    @Schema(name = "Session")
    public record SessionView(String subject, Instant expiresAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Caller", description = "Who the credentials of this request belong to and their roles")
    public record CallerView(String subject, String kind,
            @Schema(description = "A role in every project, if any") String globalRole,
            Map<String, String> projects) {
        static CallerView of(Caller c) {
            Map<String, String> projects = new TreeMap<>();
            c.projectRoles().forEach((p, r) -> projects.put(p, r.wireName()));
            return new CallerView(c.subject(), c.kind().name().toLowerCase(java.util.Locale.ROOT),
                    c.globalRole() == null ? null : c.globalRole().wireName(), projects);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "AuditEntry")
    public record AuditEntryView(long id, Instant at, String actor, String actorKind, String action, String project,
            String target, String clientAddress, @Schema(description = "Action details (JSON)") Object detail) {
        static AuditEntryView of(AuditRepository.Entry e) {
            Object detail = e.detail() == null ? null
                    : dev.reprise.orchestrator.persistence.CanonicalJson.read(e.detail(), Object.class);
            return new AuditEntryView(e.id(), e.at(), e.actor(), e.actorKind(), e.action(), e.project(), e.target(),
                    e.clientAddress(), detail);
        }
    }

    static Role role(String name, String field) {
        return Role.fromWireName(name).orElseThrow(() -> new BadInputException(field,
                field + " must be one of viewer, member, maintainer, admin"));
    }
}
