package dev.reprise.orchestrator.security;

import dev.reprise.orchestrator.persistence.CanonicalJson;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.persistence.AuditRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Map;

/**
 * Records who did what to which target, when and from where, for the audited actions: sweep submissions and
 * controls, token and member changes, logins. Written in the caller's transaction when there is one.
 */
@ApplicationScoped
public class AuditLog {

    /** The audited actions. */
    public enum Action {
        SWEEP_SUBMIT("sweep.submit"), SWEEP_CANCEL("sweep.cancel"), SWEEP_PAUSE("sweep.pause"),
        SWEEP_RESUME("sweep.resume"), SWEEP_EXTEND("sweep.extend"), SWEEP_RETRY("sweep.retry"), TOKEN_CREATE("token.create"),
        TOKEN_REVOKE("token.revoke"), MEMBER_PUT("member.put"), MEMBER_REMOVE("member.remove"),
        SESSION_LOGIN("session.login"), SESSION_LOGOUT("session.logout"), SNAPSHOT_DELETE("snapshot.delete"),
        SWEEP_CLONE("sweep.clone"), RUN_RERUN("run.rerun"),
        ARTIFACT_COMMIT("artifact.commit"), SECRET_PUT("secret.put"), SECRET_REMOVE("secret.remove"),
        WEBHOOK_CREATE("webhook.create"), WEBHOOK_REMOVE("webhook.remove");

        private final String wireName;

        Action(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    private final AuditRepository entries;
    private final CallerContext context;

    public AuditLog(AuditRepository entries, CallerContext context) {
        this.entries = entries;
        this.context = context;
    }

    /** Records the action of the current request's caller. */
    @Transactional
    public void record(Action action, String project, String target, Map<String, ?> detail) {
        record(context.caller(), context.clientAddress(), action, project, target, detail);
    }

    @Transactional
    public void record(Caller caller, String clientAddress, Action action, String project, String target,
            Map<String, ?> detail) {
        Map<String, Object> all = new java.util.TreeMap<>();
        if (detail != null) {
            all.putAll(detail);
        }
        all.put("credential", caller.credentialId());
        entries.append(caller.subject(), caller.kind().name().toLowerCase(java.util.Locale.ROOT),
                action.wireName(), project, target, clientAddress, CanonicalJson.canonical(all));
    }
}
