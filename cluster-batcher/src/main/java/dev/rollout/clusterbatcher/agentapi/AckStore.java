package dev.rollout.clusterbatcher.agentapi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.rollout.clusterbatcher.system.BinaryRows;
import org.springframework.dao.support.DataAccessUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Where acknowledgements that fit their agent's place are kept: each counted once per (rollout, agent, version),
 * logged in {@code ack} and added to its batch's tally ({@code ack_tally}: counts per rollout, batch, time zone and
 * latency), in the caller's transaction.
 * <p>
 * Counted once by the agent's seat: while a plan is open an agent's seat (stratum and rank) is its own (ranks are
 * compacted only when no plan is open, a vacant rank is not given to another agent), so a bit per (rollout, version,
 * seat) in {@code ack_seat} says whether it was counted, and the log is appended to by one binary COPY, without a key.
 * A plan frozen before seats were used ({@code acks_by_seat} false) keeps its unique key in {@code ack_keyed}: the
 * rows go in by one COPY, and a call that repeats stored acknowledgements falls back to one
 * INSERT ... ON CONFLICT DO NOTHING that says which were new.
 */
@Component
class AckStore {

    /** An acknowledgement that fits its agent's place (cluster, zone, rank): the row logged in {@code ack}. */
    record Row(UUID rolloutId, String agentId, String version, int batch, String clusterId, int tzOffset, long rank,
            boolean ok, int latencyMs, long requests, long errors) implements Comparable<Row> {

        /**
         * The key's order (rollout, batch, agent, version): one order for every call, so that two calls never
         * wait on each other in a cycle, and the rows enter a key's index in its own order.
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

    /** Ranks per row of {@code ack_seat}: one bit each, at most 1 KB of bits a row. */
    static final int RANKS_PER_CHUNK = 8_192;

    /** A row of {@code ack_seat}: the bits of 8,192 ranks of one stratum, for one rollout and version. */
    private record Chunk(UUID rolloutId, String version, String clusterId, int tzOffset, int chunk) {

        static Chunk of(Row row) {
            return new Chunk(row.rolloutId(), row.version(), row.clusterId(), row.tzOffset(),
                    (int) (row.rank() / RANKS_PER_CHUNK));
        }
    }

    /**
     * Seat rows known to exist: a fleet of 20,000,000 has about 2,500 per rollout and version (8,192 ranks each, and
     * a part of one at each stratum's end).
     */
    private static final int KNOWN_CHUNKS = 100_000;

    private final JdbcTemplate jdbc;
    private final Set<Chunk> existing = ConcurrentHashMap.newKeySet();
    /** Whether a rollout's acknowledgements are counted by seat: fixed when its plan is frozen. */
    private final Map<UUID, Boolean> bySeat = new ConcurrentHashMap<>();

    AckStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores the rows (sorted in key order, without repeats, of plans that are open) and tallies those that were new;
     * returns them.
     */
    List<Row> store(List<Row> rows, Timestamp receivedAt) {
        List<Row> seated = new ArrayList<>(rows.size());
        List<Row> keyed = new ArrayList<>();
        for (Row row : rows) {
            (countedBySeat(row.rolloutId()) ? seated : keyed).add(row);
        }
        List<Row> stored = new ArrayList<>(rows.size());
        stored.addAll(insertBySeat(seated, receivedAt));
        stored.addAll(insertKeyed(keyed, receivedAt));
        tally(stored);
        return stored;
    }

    private boolean countedBySeat(UUID rolloutId) {
        Boolean known = bySeat.get(rolloutId);
        if (known == null) {
            known = Boolean.TRUE.equals(DataAccessUtils.singleResult(jdbc.queryForList(
                    "SELECT acks_by_seat FROM batch_plan WHERE rollout_id = ?", Boolean.class, rolloutId)));
            bySeat.put(rolloutId, known);
        }
        return known;
    }

    /**
     * Sets each row's bit under a lock on its {@code ack_seat} row and logs those whose bit was clear; returns them.
     * The seat rows are created (when missing) and locked in their key's order, by every call: two calls never wait
     * on each other in a cycle, and a repeat waits for the call that counted its first to commit or roll back.
     */
    private List<Row> insertBySeat(List<Row> rows, Timestamp receivedAt) {
        if (rows.isEmpty()) {
            return rows;
        }
        return jdbc.execute((Connection c) -> {
            // each row's seat row found once, by one hash: the rows come by agent, not by seat
            Map<Chunk, SeatRow> seatRows = new HashMap<>();
            SeatRow[] seatRowOf = new SeatRow[rows.size()];
            for (int i = 0; i < seatRowOf.length; i++) {
                seatRowOf[i] = seatRows.computeIfAbsent(Chunk.of(rows.get(i)), SeatRow::new);
            }
            List<Chunk> chunks = new ArrayList<>(seatRows.keySet());
            // a call whose seat rows all exist (the common case: each batch's are made by its first calls) only locks
            // them; a row found missing after all (a database emptied beneath the service) is made, then locked
            boolean known = existing.containsAll(chunks);
            if (!known) {
                create(c, chunks);
            }
            lock(c, chunks, seatRows);
            if (known) {
                List<Chunk> missing = chunks.stream().filter(chunk -> seatRows.get(chunk).bits == null).toList();
                if (!missing.isEmpty()) {
                    existing.removeAll(missing);
                    create(c, missing);
                    lock(c, missing, seatRows);
                }
            }
            List<Row> fresh = new ArrayList<>(rows.size());
            List<SeatRow> changed = new ArrayList<>();
            for (int i = 0; i < seatRowOf.length; i++) {
                SeatRow seatRow = seatRowOf[i];
                byte[] set = seatRow.bits;
                int bit = (int) (rows.get(i).rank() % RANKS_PER_CHUNK);
                if (set == null) {
                    throw new IllegalStateException("The seat row " + seatRow.chunk + " was neither created nor found");
                }
                if (bit / 8 < set.length && (set[bit / 8] & (1 << (bit % 8))) != 0) {
                    continue; // counted before
                }
                if (bit / 8 >= set.length) {
                    set = Arrays.copyOf(set, bit / 8 + 1);
                    seatRow.bits = set;
                }
                set[bit / 8] |= (byte) (1 << (bit % 8));
                if (!seatRow.changed) {
                    seatRow.changed = true;
                    changed.add(seatRow);
                }
                fresh.add(rows.get(i));
            }
            if (!changed.isEmpty()) {
                List<Chunk> written = changed.stream().map(seatRow -> seatRow.chunk).toList();
                try (PreparedStatement update = c.prepareStatement("UPDATE ack_seat s SET bits = t.b FROM unnest("
                        + "?::uuid[], ?::varchar[], ?::varchar[], ?::smallint[], ?::int[], ?::bytea[]) AS t(r, v, c, z, k, b)"
                        + " WHERE (s.rollout_id, s.version, s.cluster_id, s.tz_offset, s.chunk) = (t.r, t.v, t.c, t.z, t.k)")) {
                    bindKeys(c, update, written, 1);
                    update.setArray(6, c.createArrayOf("bytea", changed.stream().map(seatRow -> seatRow.bits)
                            .toArray(byte[][]::new)));
                    update.executeUpdate();
                }
                copyAcks(c, "ack", fresh, receivedAt);
            }
            return fresh;
        });
    }

    /** A row of {@code ack_seat} as one call sees it: its bits as read under its lock, and whether the call set any. */
    private static final class SeatRow {

        final Chunk chunk;
        byte[] bits;
        boolean changed;

        SeatRow(Chunk chunk) {
            this.chunk = chunk;
        }
    }

    private static final String KEYS = " FROM unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::smallint[], ?::int[])"
            + " AS t(r, v, c, z, k)";

    /** Creates the seat rows that are missing, in their key's order. */
    private void create(Connection c, List<Chunk> chunks) throws SQLException {
        try (PreparedStatement create = c.prepareStatement("INSERT INTO ack_seat (rollout_id, version, cluster_id,"
                + " tz_offset, chunk, bits) SELECT r, v, c, z, k, ''::bytea" + KEYS
                + " ORDER BY r, v, c, z, k ON CONFLICT DO NOTHING")) {
            bindKeys(c, create, chunks, 1);
            create.executeUpdate();
        }
    }

    /** Locks the seat rows in their key's order and reads their bits; each found is known to exist from then on. */
    private void lock(Connection c, List<Chunk> chunks, Map<Chunk, SeatRow> seatRows) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT s.rollout_id, s.version, s.cluster_id,"
                + " s.tz_offset, s.chunk, s.bits FROM ack_seat s JOIN (SELECT r, v, c, z, k" + KEYS
                + ") t ON (s.rollout_id, s.version, s.cluster_id, s.tz_offset, s.chunk) = (t.r, t.v, t.c, t.z, t.k)"
                + " ORDER BY s.rollout_id, s.version, s.cluster_id, s.tz_offset, s.chunk FOR UPDATE OF s")) {
            bindKeys(c, lock, chunks, 1);
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    Chunk chunk = new Chunk(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getInt(5));
                    SeatRow seatRow = seatRows.get(chunk);
                    if (seatRow != null) {
                        seatRow.bits = rs.getBytes(6);
                        remember(chunk);
                    }
                }
            }
        }
    }

    /** A seat row that exists (rows of {@code ack_seat} are never deleted), kept up to {@link #KNOWN_CHUNKS}. */
    private void remember(Chunk chunk) {
        if (existing.size() >= KNOWN_CHUNKS) {
            existing.clear();
        }
        existing.add(chunk);
    }

    private static void bindKeys(Connection c, PreparedStatement ps, List<Chunk> chunks, int first) throws SQLException {
        int n = chunks.size();
        UUID[] rollouts = new UUID[n];
        String[] versions = new String[n];
        String[] clusters = new String[n];
        Short[] zones = new Short[n];
        Integer[] numbers = new Integer[n];
        for (int i = 0; i < n; i++) {
            Chunk k = chunks.get(i);
            rollouts[i] = k.rolloutId();
            versions[i] = k.version();
            clusters[i] = k.clusterId();
            zones[i] = (short) k.tzOffset();
            numbers[i] = k.chunk();
        }
        ps.setArray(first, c.createArrayOf("uuid", rollouts));
        ps.setArray(first + 1, c.createArrayOf("varchar", versions));
        ps.setArray(first + 2, c.createArrayOf("varchar", clusters));
        ps.setArray(first + 3, c.createArrayOf("int2", zones));
        ps.setArray(first + 4, c.createArrayOf("int4", numbers));
    }

    /**
     * COPY straight into {@code ack_keyed}; returns the rows that were new. A repeat of an
     * acknowledgement already stored (an agent retrying) fails the COPY; then the rows go in as one
     * INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING, so that a repeat counts once.
     */
    private List<Row> insertKeyed(List<Row> rows, Timestamp receivedAt) {
        if (rows.isEmpty()) {
            return rows;
        }
        return jdbc.execute((Connection c) -> {
            Savepoint savepoint = c.setSavepoint();
            try {
                copyAcks(c, "ack_keyed", rows, receivedAt);
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

    private static long copyAcks(Connection c, String table, List<Row> rows, Timestamp receivedAt) throws SQLException {
        Instant at = receivedAt.toInstant();
        BinaryRows binary = new BinaryRows(rows.size() * 110);
        for (Row r : rows) {
            binary.row(10).uuid(r.rolloutId()).text(r.agentId()).text(r.version()).int4(r.batch()).int2(r.tzOffset())
                    .bool(r.ok()).int4(r.latencyMs()).int8(r.requests()).int8(r.errors()).timestamptz(at);
        }
        // binary: the server stores each field as sent, without parsing a uuid and a timestamp per row
        return binary.copyInto(c, "COPY " + table + " (rollout_id, agent_id, version, batch, tz_offset, ok, latency_ms, requests,"
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
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ack_keyed (rollout_id, agent_id, version, batch,"
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
