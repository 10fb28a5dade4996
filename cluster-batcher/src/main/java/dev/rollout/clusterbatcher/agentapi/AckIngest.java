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
 * activated set, stored once per (rollout, agent, version) with multi-row inserts, and committed
 * before the answer. Acknowledgements that do not fit (agent not activated, another version) are kept
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

    @Transactional
    Result ingest(List<Ack> acks) {
        long t0 = System.nanoTime();
        Set<String> ids = new HashSet<>();
        acks.forEach(a -> {
            if (malformed(a) == null) {
                ids.add(a.agentId());
            }
        });
        Map<String, AgentDirectory.Place> places = directory.find(ids);
        long t1 = System.nanoTime();
        Timestamp now = Timestamp.from(clock.instant());
        List<Object[]> good = new ArrayList<>();
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
                good.add(new Object[] { ack.rolloutId(), ack.agentId(), ack.version(), batch, place.tzOffset(),
                        ack.status() == Status.OK, ack.latencyMs(), ack.requests(), ack.errors(), now });
            }
        }
        long t2 = System.nanoTime();
        Set<String> unique = new HashSet<>();
        List<Object[]> fresh = new ArrayList<>(good.size());
        for (Object[] row : good) {
            if (unique.add(row[0] + "/" + row[1] + "/" + row[2])) {
                fresh.add(row);
            }
        }
        // one order for every call: two calls that acknowledge the same agents at once (gateways retrying) wait
        // for each other on the unique key instead of deadlocking
        fresh.sort(java.util.Comparator.comparing((Object[] row) -> row[0].toString()).thenComparing(row -> (String) row[1])
                .thenComparing(row -> (String) row[2]));
        int accepted = insertAcks(fresh);
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
     * On PostgreSQL, the whole batch in one statement: one array per column, unnested into rows
     * (INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING); returns the rows that were new.
     */
    private int insertAcks(List<Object[]> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        if (!database.postgres()) {
            return insert("INSERT INTO ack (rollout_id, agent_id, version, batch, tz_offset, ok, latency_ms, requests,"
                    + " errors, received_at) VALUES ", "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
        }
        int n = rows.size();
        Object[][] columns = new Object[9][n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 9; c++) {
                columns[c][i] = rows.get(i)[c];
            }
        }
        Object receivedAt = rows.get(0)[9];
        return jdbc.execute((java.sql.Connection c) -> {
            // COPY straight into ack: the bulk path, as fast as the database takes rows. A repeat of an
            // acknowledgement already stored (an agent retrying) fails the COPY; then the rows go in with
            // ON CONFLICT DO NOTHING, so that a repeat counts once.
            java.sql.Savepoint savepoint = c.setSavepoint();
            try {
                int copied = (int) copyAcks(c, columns, (java.sql.Timestamp) receivedAt);
                c.releaseSavepoint(savepoint);
                return copied;
            }
            catch (java.sql.SQLException e) {
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
                c.rollback(savepoint);
                return insertUnnest(c, columns, receivedAt, "ON CONFLICT DO NOTHING");
            }
        });
    }

    private static long copyAcks(java.sql.Connection c, Object[][] columns, java.sql.Timestamp receivedAt)
            throws java.sql.SQLException {
        String at = receivedAt.toInstant().toString();
        StringBuilder csv = new StringBuilder(columns[0].length * 110);
        for (int i = 0; i < columns[0].length; i++) {
            for (int col = 0; col < 9; col++) {
                csv.append(columns[col][i]).append(',');
            }
            csv.append(at).append('\n');
        }
        byte[] bytes = csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        org.postgresql.copy.CopyIn copy = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn(
                "COPY ack (rollout_id, agent_id, version, batch, tz_offset, ok, latency_ms, requests, errors, received_at)"
                        + " FROM STDIN (FORMAT csv)");
        try {
            copy.writeToCopy(bytes, 0, bytes.length);
            return copy.endCopy();
        }
        finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static int insertUnnest(java.sql.Connection c, Object[][] columns, Object receivedAt, String tail)
            throws java.sql.SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO ack (rollout_id, agent_id, version, batch,"
                + " tz_offset, ok, latency_ms, requests, errors, received_at) SELECT r, a, v, b, z, o, l, q, e, ?"
                + " FROM unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::int[], ?::smallint[], ?::boolean[], ?::int[],"
                + " ?::bigint[], ?::bigint[]) AS t(r, a, v, b, z, o, l, q, e) " + tail)) {
            ps.setObject(1, receivedAt);
            String[] types = { "uuid", "varchar", "varchar", "int4", "int2", "bool", "int4", "int8", "int8" };
            for (int col = 0; col < 9; col++) {
                Object[] values = columns[col];
                if (col == 4) {
                    values = java.util.Arrays.stream(values).map(v -> ((Number) v).shortValue()).toArray(Short[]::new);
                }
                ps.setArray(col + 2, c.createArrayOf(types[col], values));
            }
            return ps.executeUpdate();
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
