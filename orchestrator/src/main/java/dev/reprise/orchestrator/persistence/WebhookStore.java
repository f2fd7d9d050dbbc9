package dev.reprise.orchestrator.persistence;

import dev.reprise.orchestrator.domain.notify.EventType;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Webhooks and their transactional outbox (tables webhooks, webhook_events, webhook_deliveries). {@link #emit} runs in
 * the caller's transaction, so an event exists exactly when the state change that caused it committed; the delivery
 * worker claims due deliveries ({@code for update skip locked}, so replicas share the work) and records each attempt
 * in its own short transaction, never holding one while it waits for a receiver.
 */
@ApplicationScoped
public class WebhookStore {

    /** A webhook as the API may show it: never its secret. */
    public record Stored(long id, String project, String url, List<String> events, String format, Instant createdAt,
            String createdBy) {
    }

    /** A claimed delivery with what sending it needs. */
    public record Due(long id, int attempt, String url, String format, String secret, long eventId, String type,
            String payload, String project, long webhookId) {
    }

    /** One delivery as the API shows it. */
    public record Delivery(long id, long webhookId, long eventId, String type, String state, int attempts,
            Instant nextAttemptAt, Integer lastStatus, String lastError, Instant deliveredAt, Instant createdAt) {
    }

    private final EntityManager em;
    private final AgroalDataSource dataSource;

    public WebhookStore(EntityManager em, AgroalDataSource dataSource) {
        this.em = em;
        this.dataSource = dataSource;
    }

    /** Creates the webhook (in the caller's transaction); returns its id. */
    public long create(String project, String url, List<EventType> events, String format, String secret, String by) {
        return ((Number) em.createNativeQuery("insert into webhooks (project, url, events, format, secret, "
                + "created_at, created_by) values (?1, ?2, cast(?3 as text[]), ?4, ?5, ?6, ?7) returning id")
                .setParameter(1, project).setParameter(2, url).setParameter(3, array(events))
                .setParameter(4, format).setParameter(5, secret).setParameter(6, Instant.now()).setParameter(7, by)
                .getSingleResult()).longValue();
    }

    /** The project's webhooks, oldest first. */
    public List<Stored> list(String project) {
        return select("where project = ?1 order by id", project, null);
    }

    public Optional<Stored> find(String project, long id) {
        return select("where project = ?1 and id = ?2", project, id).stream().findFirst();
    }

    /** Removes the webhook and its deliveries; false when the project has no such webhook. */
    public boolean remove(String project, long id) {
        return em.createNativeQuery("delete from webhooks where project = ?1 and id = ?2").setParameter(1, project)
                .setParameter(2, id).executeUpdate() > 0;
    }

    /**
     * Records an event of the project in the caller's transaction, with one pending delivery per webhook subscribed to
     * its type; nothing when none is. {@code payloadJson} is the event body without the delivery's own headers.
     */
    public void emit(String project, EventType type, String payloadJson) {
        Instant now = Instant.now();
        em.createNativeQuery("""
                with hooks as (select id from webhooks where project = ?1 and ?2 = any(events)),
                     ev as (insert into webhook_events (project, type, payload, created_at)
                            select ?1, ?2, ?3, ?4 where exists (select 1 from hooks) returning id)
                insert into webhook_deliveries (webhook_id, event_id, next_attempt_at, created_at)
                select hooks.id, ev.id, ?4, ?4 from hooks cross join ev""")
                .setParameter(1, project).setParameter(2, type.wireName()).setParameter(3, payloadJson)
                .setParameter(4, now).executeUpdate();
    }

    /**
     * Claims at most {@code limit} due deliveries for this worker: each counts one more attempt and is not due again
     * for {@code lease} (a worker that dies mid-send leaves it to be tried again then). Own transaction.
     */
    public List<Due> claimDue(int limit, Duration lease) {
        String sql = """
                with claimed as (
                    update webhook_deliveries d set attempts = d.attempts + 1,
                           next_attempt_at = now() + ? * interval '1 millisecond'
                    where d.id in (select id from webhook_deliveries where state = 'PENDING' and next_attempt_at <= now()
                                   order by next_attempt_at, id limit ? for update skip locked)
                    returning d.id, d.attempts, d.webhook_id, d.event_id)
                select c.id, c.attempts, w.url, w.format, w.secret, e.id, e.type, e.payload, e.project, w.id
                from claimed c join webhooks w on w.id = c.webhook_id join webhook_events e on e.id = c.event_id
                order by c.id""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, lease.toMillis());
            ps.setInt(2, limit);
            List<Due> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Due(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getLong(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new QueryFailedException("claiming due webhook deliveries", e);
        }
    }

    /** The receiver answered 2xx. */
    public void delivered(long id, int status) {
        update("update webhook_deliveries set state = 'DELIVERED', last_status = ?, last_error = null, "
                + "delivered_at = now() where id = ? and state = 'PENDING'", status, null, null, id);
    }

    /** The attempt failed: due again at {@code next}, or FAILED for good when {@code next} is null. */
    public void attemptFailed(long id, Integer status, String error, Instant next) {
        if (next == null) {
            update("update webhook_deliveries set state = 'FAILED', last_status = ?, last_error = ? where id = ? "
                    + "and state = 'PENDING'", status, error, null, id);
        } else {
            update("update webhook_deliveries set last_status = ?, last_error = ?, next_attempt_at = ? where id = ? "
                    + "and state = 'PENDING'", status, error, next, id);
        }
    }

    /** The webhook's deliveries, newest first; {@code state} null for all. */
    public List<Delivery> deliveries(long webhookId, String state, int limit) {
        String sql = "select d.id, d.webhook_id, d.event_id, e.type, d.state, d.attempts, d.next_attempt_at, "
                + "d.last_status, d.last_error, d.delivered_at, d.created_at from webhook_deliveries d "
                + "join webhook_events e on e.id = d.event_id where d.webhook_id = ? and (?::text is null or "
                + "d.state = ?::text) order by d.id desc limit ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, webhookId);
            ps.setString(2, state);
            ps.setString(3, state);
            ps.setInt(4, limit);
            List<Delivery> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int status = rs.getInt(8);
                    Integer lastStatus = rs.wasNull() ? null : status;
                    out.add(new Delivery(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                            rs.getString(5), rs.getInt(6), instant(rs.getTimestamp(7)),
                            lastStatus, rs.getString(9), instant(rs.getTimestamp(10)),
                            instant(rs.getTimestamp(11))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new QueryFailedException("deliveries of webhook " + webhookId, e);
        }
    }

    private void update(String sql, Integer status, String error, Instant next, long id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (status == null) {
                ps.setNull(i++, Types.INTEGER);
            } else {
                ps.setInt(i++, status);
            }
            if (sql.contains("last_error = ?")) {
                ps.setString(i++, error);
            }
            if (next != null) {
                ps.setTimestamp(i++, Timestamp.from(next));
            }
            ps.setLong(i, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new QueryFailedException("recording webhook delivery " + id, e);
        }
    }

    @SuppressWarnings("unchecked")
    private List<Stored> select(String where, String project, Long id) {
        var q = em.createNativeQuery("select id, project, url, array_to_string(events, ','), format, created_at, "
                + "created_by from webhooks " + where).setParameter(1, project);
        if (id != null) {
            q.setParameter(2, id);
        }
        List<Object[]> rows = q.getResultList();
        return rows.stream().map(r -> new Stored(((Number) r[0]).longValue(), (String) r[1], (String) r[2],
                Arrays.asList(((String) r[3]).split(",")), (String) r[4], MemberRepository.instant(r[5]),
                (String) r[6])).toList();
    }

    private static String array(List<EventType> events) {
        return "{" + String.join(",", events.stream().map(EventType::wireName).toList()) + "}";
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
