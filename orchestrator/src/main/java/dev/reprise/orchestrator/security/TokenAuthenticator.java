package dev.reprise.orchestrator.security;

import dev.reprise.orchestrator.domain.security.RunTokenLifetime;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.persistence.AccessQueries;
import dev.reprise.orchestrator.persistence.ApiTokenEntity;
import dev.reprise.orchestrator.persistence.ApiTokenRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Turns a Reprise token (bootstrap, API, session or run token) into the {@link Caller} it stands for. Blocking. */
@ApplicationScoped
public class TokenAuthenticator {

    /** last_used_at is written at most this often per token. */
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final LocalAdminToken adminTokens;
    private final SecurityConfig config;
    private final RunTokens runTokens;
    private final ApiTokenRepository tokens;
    private final AccessQueries queries;

    public TokenAuthenticator(LocalAdminToken adminTokens, SecurityConfig config, RunTokens runTokens,
            ApiTokenRepository tokens, AccessQueries queries) {
        this.adminTokens = adminTokens;
        this.config = config;
        this.runTokens = runTokens;
        this.tokens = tokens;
        this.queries = queries;
    }

    /** The caller, or empty when the token is unknown, malformed, expired or revoked. */
    @Transactional
    public Optional<Caller> authenticate(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Optional.empty();
        }
        if (adminTokens.matches(token)) {
            return Optional.of(new Caller(config.bootstrapSubject(), Caller.Kind.BOOTSTRAP, Role.ADMIN, Map.of(),
                    null, "bootstrap"));
        }
        if (token.startsWith(TokenSecrets.RUN_PREFIX)) {
            return runTokens.verify(token).flatMap(this::runCaller);
        }
        if (token.startsWith(TokenSecrets.API_PREFIX) || token.startsWith(TokenSecrets.SESSION_PREFIX)) {
            Instant now = Instant.now();
            return tokens.findByHash(TokenSecrets.hash(token)).filter(t -> t.activeAt(now)).map(t -> {
                if (t.lastUsedAt == null || t.lastUsedAt.isBefore(now.minus(TOUCH_INTERVAL))) {
                    t.lastUsedAt = now;
                }
                return callerOf(t);
            });
        }
        return Optional.empty();
    }

    /**
     * The caller of an API token or of a dashboard session. A session counts as the credential it was made from
     * (its parent token, or the bootstrap token): rate limits and the audit log see one credential however many
     * sessions it signs in.
     */
    static Caller callerOf(ApiTokenEntity t) {
        Role role = Role.fromWireName(t.role).orElseThrow();
        boolean global = "*".equals(t.project);
        String credential = !"session".equals(t.kind) ? "token:" + t.id
                : t.parentId == null ? "bootstrap" : "token:" + t.parentId;
        return new Caller(t.subject, Caller.Kind.API_TOKEN, global ? role : null,
                global ? Map.of() : Map.of(t.project, role), null, credential);
    }

    private Optional<Caller> runCaller(RunTokens.RunAttempt attempt) {
        return queries.runScope(attempt.runId())
                .filter(scope -> RunTokenLifetime.accepts(attempt.attempt(), scope.attempt(), scope.state(),
                        scope.finishedAt(), Instant.now(), config.runTokenGrace()))
                .map(scope -> new Caller(
                "run:" + attempt.runId() + "/" + attempt.attempt(), Caller.Kind.RUN, null, Map.of(),
                new Caller.RunScope(attempt.runId(), attempt.attempt(), scope.project(), scope.dataSnapshotId()),
                "run:" + attempt.runId() + "/" + attempt.attempt()));
    }

}
