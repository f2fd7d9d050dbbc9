package dev.reprise.orchestrator.security;

import dev.reprise.orchestrator.domain.error.AccessDeniedException;
import dev.reprise.orchestrator.domain.error.InvalidRequestException;
import dev.reprise.orchestrator.domain.error.NotFoundException;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.domain.error.FieldError;
import dev.reprise.orchestrator.persistence.ApiTokenEntity;
import dev.reprise.orchestrator.persistence.ApiTokenRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API token lifecycle: create (the secret is returned once and only its hash kept), list, revoke, and dashboard
 * sessions made from a token.
 */
@ApplicationScoped
public class ApiTokens {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhdw])");
    private static final Pattern PROJECT = Pattern.compile("\\*|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** A new token with its secret, which is never shown again. */
    public record Created(ApiTokenEntity token, String secret) {
    }

    private final ApiTokenRepository tokens;
    private final SecurityConfig config;
    private final TokenAuthenticator authenticator;

    public ApiTokens(ApiTokenRepository tokens, SecurityConfig config, TokenAuthenticator authenticator) {
        this.tokens = tokens;
        this.config = config;
        this.authenticator = authenticator;
    }

    /**
     * Creates a token for the project ("*": every project) with a role no higher than the caller's there; the
     * caller must be a maintainer of the project. The token acts as {@code subject} (default: the caller), which
     * owns the sweeps submitted with it.
     */
    @Transactional
    public Created create(Caller caller, String project, String roleName, String expiresIn, String name,
            String subject) {
        List<FieldError> errors = new java.util.ArrayList<>();
        if (project == null || !PROJECT.matcher(project).matches()) {
            errors.add(new FieldError("project", "must be a project name (lower-case letters, digits, '-') or '*'"));
        }
        Optional<Role> role = Role.fromWireName(roleName);
        if (role.isEmpty()) {
            errors.add(new FieldError("role", "must be one of viewer, member, maintainer, admin"));
        }
        Duration lifetime = expiresIn == null || expiresIn.isBlank() ? config.tokens().defaultLifetime()
                : parseDuration(expiresIn);
        if (lifetime == null || lifetime.isZero() || lifetime.compareTo(config.tokens().maxLifetime()) > 0) {
            errors.add(new FieldError("expires_in", "must be a duration such as 30d, 12h or 90m, at most "
                    + config.tokens().maxLifetime().toDays() + "d"));
        }
        if (subject != null && (subject.isBlank() || subject.length() > 256
                || subject.chars().anyMatch(Character::isISOControl))) {
            errors.add(new FieldError("subject", "must be 1 to 256 printable characters"));
        }
        if (name != null && name.length() > 200) {
            errors.add(new FieldError("name", "must be at most 200 characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        if (!caller.has(Role.MAINTAINER, project)) {
            throw new AccessDeniedException("creating tokens needs the maintainer role in project '" + project + "'");
        }
        if (!caller.has(role.get(), project)) {
            throw new AccessDeniedException("a token cannot have a higher role than its creator's ("
                    + caller.roleIn(project).map(Role::wireName).orElse("none") + ")");
        }
        Instant now = Instant.now();
        String secret = TokenSecrets.generate(TokenSecrets.API_PREFIX);
        ApiTokenEntity t = new ApiTokenEntity();
        t.kind = "api";
        t.secretHash = TokenSecrets.hash(secret);
        t.name = name;
        t.subject = subject == null ? caller.subject() : subject;
        t.project = project;
        t.role = role.get().wireName();
        t.createdAt = now;
        t.createdBy = caller.subject();
        t.expiresAt = now.plus(lifetime);
        tokens.persist(t);
        return new Created(t, secret);
    }

    /** Revokes the token (and the sessions made from it). Revoking twice changes nothing. */
    @Transactional
    public ApiTokenEntity revoke(Caller caller, long id) {
        ApiTokenEntity t = tokens.findByIdOptional(id).filter(x -> "api".equals(x.kind))
                .orElseThrow(() -> new NotFoundException("token", id));
        if (t.revokedAt == null) {
            Instant now = Instant.now();
            t.revokedAt = now;
            t.revokedBy = caller.subject();
            tokens.revokeChildren(id, now, caller.subject());
        }
        return t;
    }

    /**
     * A dashboard session for a valid API or admin token: a new secret with the token's scope, ending at the
     * session lifetime or when the token ends, whichever is first. Empty for an invalid token or a run token.
     */
    @Transactional
    public Optional<Created> login(String token) {
        if (token == null || token.startsWith(TokenSecrets.RUN_PREFIX)
                || token.startsWith(TokenSecrets.SESSION_PREFIX)) {
            return Optional.empty();
        }
        Optional<Caller> caller = authenticator.authenticate(token);
        if (caller.isEmpty()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        Instant ends = now.plus(config.tokens().sessionLifetime());
        ApiTokenEntity session = new ApiTokenEntity();
        Caller c = caller.get();
        if (c.kind() == Caller.Kind.BOOTSTRAP) {
            session.project = "*";
            session.role = Role.ADMIN.wireName();
        } else {
            ApiTokenEntity parent = tokens.findByHash(TokenSecrets.hash(token)).orElseThrow();
            session.project = parent.project;
            session.role = parent.role;
            session.parentId = parent.id;
            if (parent.expiresAt.isBefore(ends)) {
                ends = parent.expiresAt;
            }
        }
        String secret = TokenSecrets.generate(TokenSecrets.SESSION_PREFIX);
        session.kind = "session";
        session.secretHash = TokenSecrets.hash(secret);
        session.subject = c.subject();
        session.createdAt = now;
        session.createdBy = c.subject();
        session.expiresAt = ends;
        tokens.persist(session);
        return Optional.of(new Created(session, secret));
    }

    /** Ends the session of this cookie value, if it is one. */
    @Transactional
    public void logout(String sessionSecret, String by) {
        if (sessionSecret == null || !sessionSecret.startsWith(TokenSecrets.SESSION_PREFIX)) {
            return;
        }
        tokens.findByHash(TokenSecrets.hash(sessionSecret)).filter(t -> t.revokedAt == null).ifPresent(t -> {
            t.revokedAt = Instant.now();
            t.revokedBy = by;
        });
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
        }
        try {
            return Duration.parse(text.strip());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
