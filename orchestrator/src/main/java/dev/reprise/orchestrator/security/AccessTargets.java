package dev.reprise.orchestrator.security;

import dev.reprise.orchestrator.persistence.AccessQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;

/** Finds the project and owner of what a request addresses (a sweep, run or token by id). Blocking. */
@ApplicationScoped
public class AccessTargets {

    /** The project a target belongs to and who owns it (submitted the sweep, created the token). */
    public record Target(String project, String owner) {
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
        return owner.map(o -> new Target(o.project(), o.owner()));
    }

    private static Long parse(String id) {
        try {
            return id == null ? null : Long.parseLong(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
