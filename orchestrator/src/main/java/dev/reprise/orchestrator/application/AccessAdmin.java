package dev.reprise.orchestrator.application;

import dev.reprise.orchestrator.persistence.ApiTokenEntity;
import dev.reprise.orchestrator.persistence.ApiTokenRepository;
import dev.reprise.orchestrator.persistence.AuditRepository;
import dev.reprise.orchestrator.persistence.MemberRepository;
import dev.reprise.orchestrator.persistence.PagedResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.List;

/**
 * Who may do what, as administrators see and change it: project members, the audit log and the list of API tokens.
 * The one way from {@code api} to those tables; callers check access first.
 */
@ApplicationScoped
public class AccessAdmin {

    private final MemberRepository members;
    private final AuditRepository audit;
    private final ApiTokenRepository tokens;

    public AccessAdmin(MemberRepository members, AuditRepository audit, ApiTokenRepository tokens) {
        this.members = members;
        this.audit = audit;
        this.tokens = tokens;
    }

    /** The project's members (or, for {@code *}, the roles in every project), by subject. */
    @Transactional
    public List<MemberRepository.Member> members(String project) {
        return members.ofProject(project);
    }

    /** Adds a member or changes its role; returns the previous role, or null for a new member. */
    @Transactional
    public String putMember(String project, String subject, String role, String by) {
        return members.put(project, subject, role, by);
    }

    /** Removes a member; false when it was none. */
    @Transactional
    public boolean removeMember(String project, String subject) {
        return members.remove(project, subject);
    }

    /** A page of the audit log, newest first. */
    public PagedResult<AuditRepository.Entry> auditLog(AuditRepository.Filter filter, int page, int size) {
        return audit.page(filter, page, size);
    }

    /** API tokens (not sessions), newest first; projects null means all. */
    public PagedResult<ApiTokenEntity> tokens(Collection<String> projects, boolean includeInactive, int page,
            int size) {
        return tokens.page(projects, includeInactive, page, size);
    }
}
