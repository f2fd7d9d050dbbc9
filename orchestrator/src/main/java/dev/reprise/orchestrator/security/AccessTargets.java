package dev.reprise.orchestrator.security;

import dev.reprise.orchestrator.domain.security.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
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

    private final EntityManager em;

    public AccessTargets(EntityManager em) {
        this.em = em;
    }

    /** Empty when the id is not a number or nothing has it: the endpoint then answers 404 itself. */
    @Transactional
    public Optional<Target> find(Access.Scope scope, String id) {
        Long key = parse(id);
        if (key == null) {
            return Optional.empty();
        }
        String sql = switch (scope) {
            case SWEEP -> "select p.name, s.created_by, s.created_role from sweeps s "
                    + "join projects p on p.id = s.project_id where s.id = ?1";
            case RUN -> "select p.name, s.created_by, s.created_role from runs r join sweeps s on s.id = r.sweep_id "
                    + "join projects p on p.id = s.project_id where r.id = ?1";
            case TOKEN -> "select project, created_by, role from api_tokens where id = ?1 and kind = 'api'";
            default -> throw new IllegalArgumentException("no target for " + scope);
        };
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(sql).setParameter(1, key).getResultList();
        return rows.stream().findFirst().map(r -> new Target((String) r[0], (String) r[1],
                Role.fromWireName((String) r[2]).orElse(Role.MAINTAINER)));
    }

    private static Long parse(String id) {
        try {
            return id == null ? null : Long.parseLong(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
