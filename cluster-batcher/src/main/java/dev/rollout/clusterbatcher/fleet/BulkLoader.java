package dev.rollout.clusterbatcher.fleet;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.rollout.clusterbatcher.system.BinaryRows;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL bulk path of a fleet import. Lines arrive in chunks of 20,000. While every agent is new (a
 * fleet registering), a chunk gets its ranks here and is copied straight into {@code agent} with COPY; from
 * the first chunk that meets a known agent on, one probe per chunk finds the agents that already exist: new
 * agents are copied into {@code agent}, known agents into the stage for the merge. The database works on
 * one chunk while the next one is read and parsed (one worker thread uses the transaction's connection,
 * one chunk at a time). Memory holds two chunks, the strata counters and the clusters seen, whatever
 * the upload's size. Runs inside the import's transaction, under the fleet lock.
 */
final class BulkLoader implements AutoCloseable {

    static final int CHUNK = 20_000;
    static final int MAX_CLUSTERS = 100_000;

    /** Receives a rejected line. */
    interface Rejections {
        void reject(long line, String reason);
    }

    record Loaded(long imported, long staged) {
    }

    private record Pending(long line, AgentLine agent) {
    }

    private final Connection connection;
    private final UUID importId;
    private final Rejections rejections;
    private final Map<String, Long> nextRank = new HashMap<>();
    /** Each stratum's number, known or taken for a new stratum (its row is written at the end). */
    private final Map<String, Integer> stratumIds = new HashMap<>();
    private final Map<String, String> clusters = new LinkedHashMap<>();
    private Map<String, Pending> chunk = new LinkedHashMap<>();
    private long imported;
    private long staged;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            r -> new Thread(r, "fleet-import-copy"));
    private Future<?> inFlight;

    BulkLoader(Connection connection, UUID importId, Rejections rejections) throws SQLException {
        this.connection = connection;
        this.importId = importId;
        this.rejections = rejections;
        try (PreparedStatement strata = connection.prepareStatement("SELECT cluster_id, tz_offset, next_rank, id FROM stratum");
                ResultSet rs = strata.executeQuery()) {
            while (rs.next()) {
                String key = stratum(rs.getString(1), rs.getInt(2));
                nextRank.put(key, rs.getLong(3));
                stratumIds.put(key, rs.getInt(4));
            }
        }
    }

    /** The stratum's number: a new stratum takes the next one (on the worker, which then has the connection). */
    private int stratumId(String key) throws SQLException {
        Integer id = stratumIds.get(key);
        if (id == null) {
            try (PreparedStatement next = connection.prepareStatement(
                    "SELECT nextval(pg_get_serial_sequence('stratum', 'id'))"); ResultSet rs = next.executeQuery()) {
                rs.next();
                id = rs.getInt(1);
            }
            stratumIds.put(key, id);
        }
        return id;
    }

    private static String stratum(String clusterId, int tzOffset) {
        return clusterId + '\u0000' + tzOffset;
    }

    void add(long line, AgentLine agent) throws SQLException {
        Pending earlier = chunk.get(agent.agentId());
        if (earlier != null) {
            rejections.reject(line, "duplicate agent id: the same id is on line " + earlier.line());
            return;
        }
        if (!clusters.containsKey(agent.clusterId()) && clusters.size() >= MAX_CLUSTERS) {
            rejections.reject(line, "more than " + MAX_CLUSTERS + " clusters in one upload");
            return;
        }
        clusters.putIfAbsent(agent.clusterId(), agent.region());
        chunk.put(agent.agentId(), new Pending(line, agent));
        if (chunk.size() >= CHUNK) {
            flush();
        }
    }

    Loaded finish() throws SQLException {
        flush();
        await();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO cluster (id, region) VALUES (?, ?)"
                + " ON CONFLICT DO NOTHING")) {
            for (Map.Entry<String, String> c : clusters.entrySet()) {
                insert.setString(1, c.getKey());
                insert.setString(2, c.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO stratum (cluster_id, tz_offset, next_rank,"
                + " id) VALUES (?, ?, ?, ?) ON CONFLICT (cluster_id, tz_offset) DO UPDATE SET next_rank = EXCLUDED.next_rank")) {
            for (Map.Entry<String, Long> s : nextRank.entrySet()) {
                int cut = s.getKey().indexOf('\u0000');
                upsert.setString(1, s.getKey().substring(0, cut));
                upsert.setInt(2, Integer.parseInt(s.getKey().substring(cut + 1)));
                upsert.setLong(3, s.getValue());
                upsert.setInt(4, stratumIds.get(s.getKey()));
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
        LoggerFactory.getLogger(BulkLoader.class).debug("Bulk load: {} new, {} known; probes {} ms, copies {} ms",
                imported, staged, probeNanos / 1_000_000, copyNanos / 1_000_000);
        return new Loaded(imported, staged);
    }

    /** Hands the chunk to the worker once it has finished the previous one. */
    private void flush() throws SQLException {
        if (chunk.isEmpty()) {
            return;
        }
        await();
        Map<String, Pending> ready = chunk;
        chunk = new LinkedHashMap<>();
        inFlight = worker.submit(() -> {
            load(ready);
            return null;
        });
    }

    private void await() throws SQLException {
        if (inFlight == null) {
            return;
        }
        try {
            inFlight.get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while loading the fleet", e);
        }
        catch (ExecutionException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause());
        }
        finally {
            inFlight = null;
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    private long probeNanos;
    private long copyNanos;

    /** Whether chunks are copied before asking which agents exist; off for the rest of an upload after a conflict. */
    private boolean optimistic = true;

    private void load(Map<String, Pending> chunk) throws SQLException {
        if (optimistic && loadAllNew(chunk)) {
            return;
        }
        long t0 = System.nanoTime();
        Map<String, Boolean> existing = new HashMap<>();
        // an agent registered at the transaction's time was loaded by an earlier chunk of this upload
        try (PreparedStatement probe = connection.prepareStatement("SELECT agent_id, registered_at = CURRENT_TIMESTAMP"
                + " FROM agent WHERE agent_id = ANY (?)")) {
            // in order: the server sorts the array for its index scan, and finds it sorted in one pass
            String[] sorted = chunk.keySet().toArray(String[]::new);
            Arrays.sort(sorted);
            Array ids = connection.createArrayOf("varchar", sorted);
            probe.setArray(1, ids);
            try (ResultSet rs = probe.executeQuery()) {
                while (rs.next()) {
                    existing.put(rs.getString(1), rs.getBoolean(2));
                }
            }
        }
        long t1 = System.nanoTime();
        probeNanos += t1 - t0;
        BinaryRows fresh = new BinaryRows(chunk.size() * 80);
        StringBuilder known = new StringBuilder();
        for (Pending p : chunk.values()) {
            AgentLine a = p.agent();
            Boolean thisImport = existing.get(a.agentId());
            if (Boolean.TRUE.equals(thisImport)) {
                rejections.reject(p.line(), "duplicate agent id: the same id is on an earlier line of this upload");
            }
            else if (thisImport != null) {
                staged++;
                row(known.append(importId).append(',').append(p.line()).append(','), a).append('\n');
            }
            else {
                String key = stratum(a.clusterId(), a.tzOffset());
                long rank = nextRank.merge(key, 1L, Long::sum) - 1;
                imported++;
                agentRow(fresh, a, rank, stratumId(key));
            }
        }
        copyAgents(fresh);
        copy("COPY fleet_import_stage (import_id, line_no, agent_id, cluster_id, region, tz_offset, labels)"
                + " FROM STDIN (FORMAT csv)", known);
        copyNanos += System.nanoTime() - t1;
    }

    /**
     * The common case, a fleet registering: every agent of the chunk is new. The chunk is copied into {@code agent}
     * without a probe (the primary key checks each id as it is inserted anyway); when one id exists already, the
     * copy is undone to its savepoint, the ranks it took are given back, and this chunk and the rest of the upload
     * take the probing path.
     */
    private boolean loadAllNew(Map<String, Pending> chunk) throws SQLException {
        long t0 = System.nanoTime();
        Map<String, Long> ranksBefore = new HashMap<>(nextRank);
        BinaryRows fresh = new BinaryRows(chunk.size() * 80);
        for (Pending p : chunk.values()) {
            AgentLine a = p.agent();
            String key = stratum(a.clusterId(), a.tzOffset());
            long rank = nextRank.merge(key, 1L, Long::sum) - 1;
            agentRow(fresh, a, rank, stratumId(key));
        }
        Savepoint savepoint = connection.setSavepoint();
        try {
            copyAgents(fresh);
            connection.releaseSavepoint(savepoint);
            imported += chunk.size();
            copyNanos += System.nanoTime() - t0;
            return true;
        }
        catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(savepoint);
            nextRank.clear();
            nextRank.putAll(ranksBefore);
            optimistic = false;
            probeNanos += System.nanoTime() - t0;
            return false;
        }
    }

    private static StringBuilder row(StringBuilder out, AgentLine a) {
        out.append(a.agentId()).append(',').append(a.clusterId()).append(',').append(a.region()).append(',')
                .append(a.tzOffset()).append(',');
        if (a.labels() != null) {
            out.append('"').append(a.labels().replace("\"", "\"\"")).append('"');
        }
        return out;
    }

    /** A new agent as a binary row of {@code agent}: id, cluster, region, zone, labels, rank, stratum. */
    private static void agentRow(BinaryRows rows, AgentLine a, long rank, int stratumId) {
        rows.row(7).text(a.agentId()).text(a.clusterId()).text(a.region()).int2(a.tzOffset()).text(a.labels()).int8(rank)
                .int4(stratumId);
    }

    /** New agents straight into {@code agent}, in the binary format (no text for the server to parse). */
    private void copyAgents(BinaryRows rows) throws SQLException {
        rows.copyInto(connection,
                "COPY agent (agent_id, cluster_id, region, tz_offset, labels, stratum_rank, stratum_id) FROM STDIN"
                        + " (FORMAT binary)");
    }

    private void copy(String sql, StringBuilder rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        copy.writeToCopy(bytes, 0, bytes.length);
        copy.endCopy();
    }
}
