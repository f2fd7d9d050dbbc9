package dev.reprise.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Interned metric key names: {@code metric_keys} maps each name to a 4-byte id once, and this cache remembers the
 * mapping (ids never change). New names are inserted with {@code ON CONFLICT DO NOTHING}, so concurrent writers
 * agree on one id. Thread-safe.
 */
@ApplicationScoped
public class MetricKeyIds {

    /** More distinct names than this are not cached (they are still resolved, through the database). */
    private static final int MAX_CACHED = 1_000_000;

    private final Map<String, Integer> ids = new ConcurrentHashMap<>();

    /** The ids of all names, inserting the unknown ones; runs in the connection's current transaction mode. */
    public Map<String, Integer> resolve(Connection c, Collection<String> names) throws SQLException {
        Map<String, Integer> out = new HashMap<>(names.size() * 2);
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            Integer id = ids.get(name);
            if (id != null) {
                out.put(name, id);
            } else {
                missing.add(name);
            }
        }
        if (missing.isEmpty()) {
            return out;
        }
        Array array = c.createArrayOf("text", missing.toArray());
        try (PreparedStatement insert = c.prepareStatement(
                "insert into metric_keys (name) select unnest(?::text[]) order by 1 on conflict (name) do nothing");
                PreparedStatement select = c.prepareStatement(
                        "select name, id from metric_keys where name = any(?::text[])")) {
            insert.setArray(1, array);
            insert.executeUpdate();
            select.setArray(1, array);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    remember(rs.getString(1), rs.getInt(2));
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
        } finally {
            array.free();
        }
        return out;
    }

    /** The id of a name that exists, without inserting it. */
    public Optional<Integer> find(Connection c, String name) throws SQLException {
        Integer cached = ids.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (PreparedStatement select = c.prepareStatement("select id from metric_keys where name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                remember(name, rs.getInt(1));
                return Optional.of(rs.getInt(1));
            }
        }
    }

    private void remember(String name, int id) {
        if (ids.size() < MAX_CACHED) {
            ids.put(name, id);
        }
    }
}
