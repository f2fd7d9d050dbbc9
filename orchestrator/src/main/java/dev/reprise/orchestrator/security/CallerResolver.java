package dev.reprise.orchestrator.security;

import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.domain.security.Role;
import dev.reprise.orchestrator.persistence.MemberRepository;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link Caller} of an authenticated identity. Reprise tokens carry theirs; an OIDC identity gets its roles from
 * the token's role claim (PREFIX + ROLE, PREFIX + PROJECT:ROLE) and from the project members table. Blocking.
 */
@ApplicationScoped
public class CallerResolver {

    private final MemberRepository members;
    private final String rolePrefix;

    public CallerResolver(MemberRepository members, SecurityConfig config) {
        this.members = members;
        this.rolePrefix = config.oidc().rolePrefix();
    }

    @Transactional
    public Optional<Caller> resolve(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return Optional.empty();
        }
        Caller token = identity.getAttribute(RepriseIdentityProvider.CALLER_ATTRIBUTE);
        if (token != null) {
            return Optional.of(token);
        }
        String subject = identity.getPrincipal().getName();
        if (subject == null || subject.isBlank()) {
            return Optional.empty();
        }
        Role global = null;
        Map<String, Role> projects = new HashMap<>();
        for (String claim : identity.getRoles()) {
            if (!claim.startsWith(rolePrefix)) {
                continue;
            }
            String rest = claim.substring(rolePrefix.length());
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                global = Role.max(global, Role.fromWireName(rest).orElse(null));
            } else {
                String project = rest.substring(0, colon);
                Role.fromWireName(rest.substring(colon + 1)).ifPresent(r -> projects.merge(project, r, Role::max));
            }
        }
        for (MemberRepository.Member m : members.ofSubject(subject)) {
            Role role = Role.fromWireName(m.role()).orElse(null);
            if ("*".equals(m.project())) {
                global = Role.max(global, role);
            } else if (role != null) {
                projects.merge(m.project(), role, Role::max);
            }
        }
        return Optional.of(new Caller(subject, Caller.Kind.OIDC, global, projects, null, "oidc:" + subject));
    }
}
