package dev.rollout.clusterbatcher.agentapi;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.rollout.clusterbatcher.activation.RolloutState;
import dev.rollout.clusterbatcher.activation.RolloutStates;
import dev.rollout.clusterbatcher.system.DatabaseKind;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Takes acknowledgements and heartbeats in batches: each is checked against the agent's place in the
 * activated set, stored once per (rollout, agent, version) by binary COPY (keyed by its batch first), added to
 * its batch's tally, and committed before the answer. Acknowledgements that do not fit (agent not activated, another version) are kept
 * apart as integrity findings; unknown agents or rollouts are rejected by their index.
 */
@Service
class AckIngest {

    enum Status { OK, FAILED }

    record Ack(String agentId, UUID rolloutId, String version, Status status, int latencyMs, long requests, long errors) {
    }

    record Rejected(int index, String agentId, String reason) {
    }

    record Result(int received, int accepted, int duplicates, int integrityFindings, List<Rejected> rejected) {
    }

    private static final int ROWS_PER_INSERT = 500;

    private final AgentDirectory directory;
    private final RolloutStates states;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final MeterRegistry meters;
    private final DatabaseKind database;

    AckIngest(AgentDirectory directory, RolloutStates states, JdbcTemplate jdbc, Clock clock, MeterRegistry meters,
            DatabaseKind database) {
        this.directory = directory;
        this.states = states;
        this.jdbc = jdbc;
        this.clock = clock;
        this.meters = meters;
        this.database = database;
    }

    /** Why an item cannot be taken, or null when it is well formed. */
    static String malformed(Ack ack) {
        if (ack == null) {
            return "the item is null";
        }
        if (ack.agentId() == null || ack.agentId().isBlank() || ack.agentId().length() > 128) {
            return "agentId is required (at most 128 characters)";
        }
        if (ack.rolloutId() == null) {
            return "rolloutId is required";
        }
        if (ack.version() == null || ack.version().isBlank() || ack.version().length() > 64) {
            return "version is required (at most 64 characters)";
        }
        if (ack.status() == null) {
            return "status is required: OK or FAILED";
        }
        if (ack.latencyMs() < 0 || ack.latencyMs() > 3_600_000) {
            return "latencyMs is required, 0 to 3600000";
        }
        if (ack.requests() < 0 || ack.errors() < 0 || ack.errors() > ack.requests()) {
            return "requests and errors must be counts, errors at most requests";
        }
        return null;
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AckIngest.class);

    /** An acknowledgement that fits its agent's place: the row stored in {@code ack}. */
    private record Row(UUID rolloutId, String agentId, String version, int batch, int tzOffset, boolean ok, int latencyMs,
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

    @Transactional
    Result ingest(List<Ack> acks) {
        long t0 = System.nanoTime();
        Set<String> ids = new HashSet<>(acks.size() * 2);
        acks.forEach(a -> {
            if (malformed(a) == null) {
                ids.add(a.agentId());
            }
        });
        Map<String, AgentDirectory.Place> places = directory.find(ids);
        long t1 = System.nanoTime();
        Timestamp now = Timestamp.from(clock.instant());
        List<Row> good = new ArrayList<>(acks.size());
        List<Object[]> findings = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        Map<UUID, Optional<RolloutState>> rollouts = new java.util.HashMap<>();
        for (int i = 0; i < acks.size(); i++) {
            Ack ack = acks.get(i);
            String problem = malformed(ack);
            if (problem != null) {
                rejected.add(new Rejected(i, ack == null ? null : ack.agentId(), problem));
                continue;
            }
            AgentDirectory.Place place = places.get(ack.agentId());
            if (place == null) {
                rejected.add(new Rejected(i, ack.agentId(), "unknown agent"));
                continue;
            }
            Optional<RolloutState> rollout = rollouts.computeIfAbsent(ack.rolloutId(), states::of);
            if (rollout.isEmpty()) {
                rejected.add(new Rejected(i, ack.agentId(), "unknown rollout " + ack.rolloutId() + " (no batch plan)"));
                continue;
            }
            RolloutState state = rollout.get();
            int batch = state.plan().batchOf(place.clusterId(), place.tzOffset(), place.rank());
            if (!state.activated(batch)) {
                findings.add(new Object[] { ack.rolloutId(), ack.agentId(), ack.version(), "OUTSIDE_ACTIVATED_SET", batch, now });
            }
            else if (!state.expects(batch, ack.version())) {
                findings.add(new Object[] { ack.rolloutId(), ack.agentId(), ack.version(), "OTHER_VERSION", batch, now });
            }
            else {
                good.add(new Row(ack.rolloutId(), ack.agentId(), ack.version(), batch, place.tzOffset(),
                        ack.status() == Status.OK, ack.latencyMs(), ack.requests(), ack.errors()));
            }
        }
        long t2 = System.nanoTime();
        // sorted, a repeat within the call sits next to its first: keep the first
        java.util.Collections.sort(good);
        List<Row> fresh = new ArrayList<>(good.size());
        for (Row row : good) {
            Row last = fresh.isEmpty() ? null : fresh.get(fresh.size() - 1);
            if (last == null || last.compareTo(row) != 0) {
                fresh.add(row);
            }
        }
        List<Row> stored = insertAcks(fresh, now);
        tally(stored);
        int accepted = stored.size();
        long t3 = System.nanoTime();
        int found = insert("INSERT INTO ack_integrity (rollout_id, agent_id, version, problem, batch, received_at) VALUES ",
                "(?, ?, ?, ?, ?, ?)", findings);
        meters.counter("rollout.agent.acks", "outcome", "accepted").increment(accepted);
        meters.counter("rollout.agent.acks", "outcome", "duplicate").increment(good.size() - accepted);
        meters.counter("rollout.agent.acks", "outcome", "integrity").increment(findings.size());
        meters.counter("rollout.agent.acks", "outcome", "rejected").increment(rejected.size());
        log.debug("{} acknowledgements: lookup {} ms, checks {} ms, insert {} ms", acks.size(), (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
        return new Result(acks.size(), accepted, good.size() - accepted, found, rejected);
    }

    /**
     * On PostgreSQL, COPY straight into {@code ack}; returns the rows that were new. A repeat of an
     * acknowledgement already stored (an agent retrying) fails the COPY; then the rows go in as one
     * INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING, so that a repeat counts once.
     */
    private List<Row> insertAcks(List<Row> rows, Timestamp receivedAt) {
        if (rows.isEmpty()) {
            return rows;
        }
        if (!database.postgres()) {
            // the embedded database: one row per statement, so that each answers whether it was new
            lockRollouts(rows);
            int[] counts = jdbc.batchUpdate("INSERT INTO ack (rollout_id, agent_id, version, batch, tz_offset, ok,"
                    + " latency_ms, requests, errors, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    rows.stream().map(r -> new Object[] { r.rolloutId(), r.agentId(), r.version(), r.batch(), r.tzOffset(),
                            r.ok(), r.latencyMs(), r.requests(), r.errors(), receivedAt }).toList());
            List<Row> fresh = new ArrayList<>(rows.size());
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    fresh.add(rows.get(i));
                }
            }
            return fresh;
        }
        return jdbc.execute((java.sql.Connection c) -> {
            java.sql.Savepoint savepoint = c.setSavepoint();
            try {
                copyAcks(c, rows, receivedAt);
                c.releaseSavepoint(savepoint);
                return rows;
            }
            catch (java.sql.SQLException e) {
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
                c.rollback(savepoint);
                return insertUnnest(c, rows, receivedAt);
            }
        });
    }

    /**
     * On the embedded database the tally is kept by update-or-insert, so calls for the same rollout take turns
     * (the plan's row, locked until the call commits); PostgreSQL's upsert needs no turns.
     */
    private void lockRollouts(List<Row> rows) {
        rows.stream().map(Row::rolloutId).distinct().sorted().forEach(rollout -> jdbc.query(
                "SELECT rollout_id FROM batch_plan WHERE rollout_id = ? FOR UPDATE", rs -> { }, rollout));
    }

    /** Adds the new acknowledgements to their batch's tally: counts per (rollout, batch, time zone, latency). */
    private void tally(List<Row> fresh) {
        if (fresh.isEmpty()) {
            return;
        }
        java.util.SortedMap<Row, long[]> groups = new java.util.TreeMap<>(java.util.Comparator.comparing(Row::rolloutId)
                .thenComparingInt(Row::batch).thenComparingInt(Row::tzOffset).thenComparingInt(Row::latencyMs));
        for (Row r : fresh) {
            long[] sums = groups.computeIfAbsent(r, k -> new long[4]);
            sums[0]++;
            sums[1] += r.ok() ? 0 : 1;
            sums[2] += r.requests();
            sums[3] += r.errors();
        }
        if (database.postgres()) {
            int n = groups.size();
            Object[][] columns = { new UUID[n], new Integer[n], new Short[n], new Integer[n], new Long[n], new Long[n],
                    new Long[n], new Long[n] };
            int i = 0;
            for (Map.Entry<Row, long[]> g : groups.entrySet()) {
                columns[0][i] = g.getKey().rolloutId();
                columns[1][i] = g.getKey().batch();
                columns[2][i] = (short) g.getKey().tzOffset();
                columns[3][i] = g.getKey().latencyMs();
                for (int k = 0; k < 4; k++) {
                    columns[4 + k][i] = g.getValue()[k];
                }
                i++;
            }
            // in key order: concurrent calls lock the rows they share in the same order
            jdbc.execute((java.sql.Connection c) -> {
                try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO ack_tally (rollout_id, batch, tz_offset,"
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
            return;
        }
        for (Map.Entry<Row, long[]> g : groups.entrySet()) {
            Row k = g.getKey();
            long[] v = g.getValue();
            if (jdbc.update("UPDATE ack_tally SET acks = acks + ?, failed = failed + ?, requests = requests + ?,"
                    + " errors = errors + ? WHERE rollout_id = ? AND batch = ? AND tz_offset = ? AND latency_ms = ?", v[0], v[1],
                    v[2], v[3], k.rolloutId(), k.batch(), k.tzOffset(), k.latencyMs()) == 0) {
                jdbc.update("INSERT INTO ack_tally (rollout_id, batch, tz_offset, latency_ms, acks, failed, requests, errors)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", k.rolloutId(), k.batch(), k.tzOffset(), k.latencyMs(), v[0], v[1],
                        v[2], v[3]);
            }
        }
    }

    private static long copyAcks(java.sql.Connection c, List<Row> rows, Timestamp receivedAt) throws java.sql.SQLException {
        java.time.Instant at = receivedAt.toInstant();
        dev.rollout.clusterbatcher.system.BinaryRows binary = new dev.rollout.clusterbatcher.system.BinaryRows(rows.size() * 110);
        for (Row r : rows) {
            binary.row(10).uuid(r.rolloutId()).text(r.agentId()).text(r.version()).int4(r.batch()).int2(r.tzOffset())
                    .bool(r.ok()).int4(r.latencyMs()).int8(r.requests()).int8(r.errors()).timestamptz(at);
        }
        // binary: the server stores each field as sent, without parsing a uuid and a timestamp per row
        return binary.copyInto(c, "COPY ack (rollout_id, agent_id, version, batch, tz_offset, ok, latency_ms, requests,"
                + " errors, received_at) FROM STDIN (FORMAT binary)");
    }

    /** Inserts the rows that are new, skipping repeats; returns the new ones. */
    private static List<Row> insertUnnest(java.sql.Connection c, List<Row> rows, Timestamp receivedAt)
            throws java.sql.SQLException {
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
        try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO ack (rollout_id, agent_id, version, batch,"
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
            try (java.sql.ResultSet rs = ps.executeQuery()) {
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

    /** Multi-row INSERT ... ON CONFLICT DO NOTHING; returns the rows that were new. */
    private int insert(String head, String row, List<Object[]> rows) {
        int inserted = 0;
        for (int from = 0; from < rows.size(); from += ROWS_PER_INSERT) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_INSERT));
            StringBuilder sql = new StringBuilder(head);
            List<Object> args = new ArrayList<>(chunk.size() * 10);
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ",").append(row);
                args.addAll(List.of(chunk.get(i)));
            }
            sql.append(" ON CONFLICT DO NOTHING");
            inserted += jdbc.update(sql.toString(), args.toArray());
        }
        return inserted;
    }
}
