package dev.reprise.orchestrator.security;

import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.persistence.AccessQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;

/**
 * Finds the project and owner of what a request addresses (a sweep, run or token by id), and the role a credential
 * needs before owning it counts. Blocking.
 */
@ApplicationScoped
public class AccessTargets {

    /**
     * The project a target belongs to, who owns it (submitted the sweep, created the token) and its rank: the role
     * of the credential that submitted the sweep, or the revoked token's own role. Ownership is a subject, which
     * every token a person creates inherits, so it only counts for a credential whose role in the project is at
     * least the rank: a viewer token never revokes its creator's member token, a member token never cancels what
     * the same person submitted as a maintainer. Unknown rank (sweeps from before it was recorded): maintainer.
     */
    public record Target(String project, String owner, Role rank) {
    }

    private final AccessQueries queries;

    public AccessTargets(AccessQueries queries) {
        this.queries = queries;
    }

    /** Empty when the id is not a number or nothing has it: the endpoint then answers 404 itself. */
    @Transactional
    public Optional<Target> find(Access.Scope scope, String id) {
        Long key = parse(id);
        if (key == null) {
            return Optional.empty();
        }
        Optional<AccessQueries.Owner> owner = switch (scope) {
            case SWEEP -> queries.sweepOwner(key);
            case RUN -> queries.runOwner(key);
            case TOKEN -> queries.tokenOwner(key);
            default -> throw new IllegalArgumentException("no target for " + scope);
        };
        return owner.map(o -> new Target(o.project(), o.owner(), Role.fromWireName(o.rank()).orElse(Role.MAINTAINER)));
    }

    private static Long parse(String id) {
        try {
            return id == null ? null : Long.parseLong(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
