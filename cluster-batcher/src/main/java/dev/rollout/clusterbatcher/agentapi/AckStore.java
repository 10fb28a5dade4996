package dev.rollout.clusterbatcher.agentapi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import dev.rollout.clusterbatcher.system.BinaryRows;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Where acknowledgements that fit their agent's place are kept: each once per (rollout, batch, agent, version) in
 * {@code ack}, and added to its batch's tally ({@code ack_tally}: counts per rollout, batch, time zone and latency)
 * in the caller's transaction. The rows go in by one binary COPY, and a call that repeats stored acknowledgements (an
 * agent retrying) falls back to one INSERT ... ON CONFLICT DO NOTHING that says which were new.
 */
@Component
class AckStore {

    /** An acknowledgement that fits its agent's place: the row stored in {@code ack}. */
    record Row(UUID rolloutId, String agentId, String version, int batch, int tzOffset, boolean ok, int latencyMs,
            long requests, long errors) implements Comparable<Row> {

        /**
         * The key's order (rollout, batch, agent, version): one order for every call, so that two calls never
         * wait on each other in a cycle, and the rows enter the key's index in its own order.
         */
        @Override
        public int compareTo(Row other) {
            int c = rolloutId.compareTo(other.rolloutId);
            if (c == 0) {
                c = Integer.compare(batch, other.batch);
            }
            if (c == 0) {
                c = agentId.compareTo(other.agentId);
            }
            return c != 0 ? c : version.compareTo(other.version);
        }
    }

    private final JdbcTemplate jdbc;

    AckStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the rows (sorted in key order, without repeats) and tallies those that were new; returns them. */
    List<Row> store(List<Row> rows, Timestamp receivedAt) {
        List<Row> stored = insertAcks(rows, receivedAt);
        tally(stored);
        return stored;
    }

    /**
     * COPY straight into {@code ack}; returns the rows that were new. A repeat of an
     * acknowledgement already stored (an agent retrying) fails the COPY; then the rows go in as one
     * INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING, so that a repeat counts once.
     */
    private List<Row> insertAcks(List<Row> rows, Timestamp receivedAt) {
        if (rows.isEmpty()) {
            return rows;
        }
        return jdbc.execute((Connection c) -> {
            Savepoint savepoint = c.setSavepoint();
            try {
                copyAcks(c, rows, receivedAt);
                c.releaseSavepoint(savepoint);
                return rows;
            }
            catch (SQLException e) {
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
                c.rollback(savepoint);
                return insertUnnest(c, rows, receivedAt);
            }
        });
    }

    /** Adds the new acknowledgements to their batch's tally: counts per (rollout, batch, time zone, latency). */
    private void tally(List<Row> fresh) {
        if (fresh.isEmpty()) {
            return;
        }
        // the groups by rollout, then by (batch, time zone, latency) packed into one key that sorts as they do
        Map<UUID, Map<Long, long[]>> byRollout = new HashMap<>(2);
        for (Row r : fresh) {
            long key = ((long) r.batch() << 40) + ((long) (r.tzOffset() + 32_768) << 24) + r.latencyMs();
            long[] sums = byRollout.computeIfAbsent(r.rolloutId(), k -> new HashMap<>(4_096))
                    .computeIfAbsent(key, k -> new long[4]);
            sums[0]++;
            sums[1] += r.ok() ? 0 : 1;
            sums[2] += r.requests();
            sums[3] += r.errors();
        }
        int n = byRollout.values().stream().mapToInt(Map::size).sum();
        Object[][] columns = { new UUID[n], new Integer[n], new Short[n], new Integer[n], new Long[n], new Long[n],
                new Long[n], new Long[n] };
        int i = 0;
        for (UUID rollout : new TreeSet<>(byRollout.keySet())) {
            Map<Long, long[]> groups = byRollout.get(rollout);
            long[] keys = groups.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
            for (long key : keys) {
                long[] sums = groups.get(key);
                columns[0][i] = rollout;
                columns[1][i] = (int) (key >> 40);
                columns[2][i] = (short) (((key >> 24) & 0xFFFF) - 32_768);
                columns[3][i] = (int) (key & 0xFF_FFFF);
                for (int k = 0; k < 4; k++) {
                    columns[4 + k][i] = sums[k];
                }
                i++;
            }
        }
        // in key order: concurrent calls lock the rows they share in the same order
        jdbc.execute((Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ack_tally (rollout_id, batch, tz_offset,"
                    + " latency_ms, acks, failed, requests, errors) SELECT r, b, z, l, n, f, q, e FROM unnest(?::uuid[],"
                    + " ?::int[], ?::smallint[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])"
                    + " AS t(r, b, z, l, n, f, q, e) ORDER BY r, b, z, l ON CONFLICT (rollout_id, batch, tz_offset,"
                    + " latency_ms) DO UPDATE SET acks = ack_tally.acks + EXCLUDED.acks, failed = ack_tally.failed"
                    + " + EXCLUDED.failed, requests = ack_tally.requests + EXCLUDED.requests, errors = ack_tally.errors"
                    + " + EXCLUDED.errors")) {
                String[] types = { "uuid", "int4", "int2", "int4", "int8", "int8", "int8", "int8" };
                for (int col = 0; col < columns.length; col++) {
                    ps.setArray(col + 1, c.createArrayOf(types[col], columns[col]));
                }
                return ps.executeUpdate();
            }
        });
    }

    private static long copyAcks(Connection c, List<Row> rows, Timestamp receivedAt) throws SQLException {
        Instant at = receivedAt.toInstant();
        BinaryRows binary = new BinaryRows(rows.size() * 110);
        for (Row r : rows) {
            binary.row(10).uuid(r.rolloutId()).text(r.agentId()).text(r.version()).int4(r.batch()).int2(r.tzOffset())
                    .bool(r.ok()).int4(r.latencyMs()).int8(r.requests()).int8(r.errors()).timestamptz(at);
        }
        // binary: the server stores each field as sent, without parsing a uuid and a timestamp per row
        return binary.copyInto(c, "COPY ack (rollout_id, agent_id, version, batch, tz_offset, ok, latency_ms, requests,"
                + " errors, received_at) FROM STDIN (FORMAT binary)");
    }

    /** Inserts the rows that are new, skipping repeats; returns the new ones. */
    private static List<Row> insertUnnest(Connection c, List<Row> rows, Timestamp receivedAt)
            throws SQLException {
        int n = rows.size();
        Object[][] columns = { new UUID[n], new String[n], new String[n], new Integer[n], new Short[n], new Boolean[n],
                new Integer[n], new Long[n], new Long[n] };
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            columns[0][i] = r.rolloutId();
            columns[1][i] = r.agentId();
            columns[2][i] = r.version();
            columns[3][i] = r.batch();
            columns[4][i] = (short) r.tzOffset();
            columns[5][i] = r.ok();
            columns[6][i] = r.latencyMs();
            columns[7][i] = r.requests();
            columns[8][i] = r.errors();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ack (rollout_id, agent_id, version, batch,"
                + " tz_offset, ok, latency_ms, requests, errors, received_at) SELECT r, a, v, b, z, o, l, q, e, ?"
                + " FROM unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::int[], ?::smallint[], ?::boolean[], ?::int[],"
                + " ?::bigint[], ?::bigint[]) AS t(r, a, v, b, z, o, l, q, e) ON CONFLICT DO NOTHING"
                + " RETURNING rollout_id, batch, agent_id, version")) {
            ps.setObject(1, receivedAt);
            String[] types = { "uuid", "varchar", "varchar", "int4", "int2", "bool", "int4", "int8", "int8" };
            for (int col = 0; col < 9; col++) {
                ps.setArray(col + 2, c.createArrayOf(types[col], columns[col]));
            }
            Set<String> inserted = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1) + '/' + rs.getInt(2) + '/' + rs.getString(3) + '/' + rs.getString(4));
                }
            }
            List<Row> fresh = new ArrayList<>(inserted.size());
            for (Row r : rows) {
                if (inserted.contains(r.rolloutId() + "/" + r.batch() + '/' + r.agentId() + '/' + r.version())) {
                    fresh.add(r);
                }
            }
            return fresh;
        }
    }
}
