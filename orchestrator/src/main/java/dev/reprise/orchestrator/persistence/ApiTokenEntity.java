package dev.reprise.orchestrator.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An API token or dashboard session; only the SHA-256 of its secret is stored. */
@Entity
@Table(name = "api_tokens")
public class ApiTokenEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** api or session. */
    @Column(nullable = false)
    public String kind;

    @Column(name = "secret_hash", nullable = false, length = 64)
    public String secretHash;

    public String name;

    /** Whom the token acts for (sweep owner, audit actor). */
    @Column(nullable = false)
    public String subject;

    /** The project it is scoped to; "*" for every project. */
    @Column(nullable = false)
    public String project;

    @Column(nullable = false)
    public String role;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_by")
    public String revokedBy;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    /** For a session: the API token it was made from (revoking that token ends the session). */
    @Column(name = "parent_id")
    public Long parentId;

    public boolean activeAt(Instant now) {
        return revokedAt == null && expiresAt.isAfter(now);
    }
}
