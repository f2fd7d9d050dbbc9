package dev.reprise.orchestrator.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code reprise.security.*}: authentication, tokens and limits; see docs/security.md. */
@ConfigMapping(prefix = "reprise.security")
public interface SecurityConfig {

    /**
     * false turns authentication off: every caller is an admin. Refused unless the HTTP server is bound to a
     * loopback address.
     */
    @WithDefault("true")
    boolean enabled();

    /** A token that acts as a global admin (automation, first setup); at least 32 characters. */
    Optional<String> bootstrapToken();

    /** The subject the bootstrap token acts as. */
    @WithDefault("admin")
    String bootstrapSubject();

    /**
     * Local mode: a file holding the local admin token. Created with a new random token (mode 600) when missing; the
     * token acts as the bootstrap token.
     */
    Optional<String> localTokenFile();

    /** Whether the ingest dead-letters agent reports without the run token of their run attempt. */
    @WithDefault("true")
    boolean runTokensRequired();

    /** The key run tokens are signed with; without it one is generated once and kept in the database. */
    Optional<String> runTokenKey();

    /**
     * Proxies (IP addresses or CIDR blocks) whose X-Forwarded-Proto/-Host/-For headers are believed: a session cookie
     * is marked Secure when such a proxy says the client came over https. Empty: none.
     */
    Optional<java.util.List<String>> trustedProxies();

    /**
     * Origins (scheme://host[:port]) besides the orchestrator's own from which a browser may make cookie-authenticated
     * changes (a dashboard served elsewhere). Empty: only the same origin.
     */
    Optional<java.util.List<String>> allowedOrigins();

    /**
     * How long a run token still works after its attempt reached a final state (the agent's last uploads); after
     * that, and as soon as a newer attempt exists, the token is refused.
     */
    @WithDefault("2m")
    java.time.Duration runTokenGrace();

    Tokens tokens();

    Oidc oidc();

    RateLimit rateLimit();

    /** API tokens and dashboard sessions. */
    interface Tokens {
        /** Lifetime of a token created without one. */
        @WithDefault("30d")
        Duration defaultLifetime();

        /** The longest lifetime a token may be created with. */
        @WithDefault("365d")
        Duration maxLifetime();

        /** Lifetime of a dashboard session cookie (never beyond the token it was made from). */
        @WithDefault("12h")
        Duration sessionLifetime();
    }

    /** How OIDC identities map to Reprise roles (the issuer, audience and keys are quarkus.oidc.*). */
    interface Oidc {
        /**
         * Roles or groups (quarkus.oidc.roles.role-claim-path) that start with this prefix grant Reprise roles:
         * PREFIX + ROLE in every project (reprise:admin) or PREFIX + PROJECT + ":" + ROLE (reprise:vision:member).
         */
        @WithDefault("reprise:")
        String rolePrefix();
    }

    /**
     * Submissions per credential (a dashboard session counts as the token it was made from): a token bucket refilled
     * at per-minute per minute, holding up to burst. Failed sign-ins per client address likewise.
     */
    interface RateLimit {
        @WithDefault("60")
        int submissionsPerMinute();

        @WithDefault("20")
        int submissionBurst();

        /** Failed sign-ins (POST /api/v1/session) per client address and minute. */
        @WithDefault("10")
        int signInFailuresPerMinute();

        @WithDefault("10")
        int signInFailureBurst();
    }
}
