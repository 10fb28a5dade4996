package dev.rollout.clusterbatcher.fleet;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Merges staged lines into the fleet, set-based: duplicates within the upload are rejected (the first
 * line wins), clusters are created, new agents get the next ranks of their stratum, known agents are
 * updated in place (an agent that moves to another stratum gets a rank there). Runs inside the
 * caller's transaction, after {@link #lock()}.
 */
@Component
class FleetWriter {

    record Merged(long imported, long updated) {
    }

    private static final Logger log = LoggerFactory.getLogger(FleetWriter.class);

    private final JdbcTemplate jdbc;
    private final FleetLock lock;
    private final ApplicationEventPublisher events;

    FleetWriter(JdbcTemplate jdbc, FleetLock lock,
            ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.lock = lock;
        this.events = events;
    }

    /** Serialises every writer of ranks until the transaction ends. */
    void lock() {
        lock.acquire();
    }

    /** {@link #lock()} if nobody holds it now; false otherwise, without waiting. */
    boolean tryLock() {
        return lock.tryAcquire();
    }

    /** Rejects every repeat of an agent id within the upload, reporting (line, first line). */
    long rejectDuplicates(UUID importId, BiConsumer<Long, Long> rejected) {
        String duplicates = "SELECT s.line_no, f.first_line FROM fleet_import_stage s JOIN ("
                + " SELECT agent_id, MIN(line_no) AS first_line FROM fleet_import_stage WHERE import_id = ?"
                + " GROUP BY agent_id HAVING COUNT(*) > 1) f ON f.agent_id = s.agent_id"
                + " WHERE s.import_id = ? AND s.line_no > f.first_line ORDER BY s.line_no";
        long[] count = { 0 };
        jdbc.query(duplicates, rs -> {
            count[0]++;
            rejected.accept(rs.getLong(1), rs.getLong(2));
        }, importId, importId);
        if (count[0] > 0) {
            jdbc.update("DELETE FROM fleet_import_stage WHERE import_id = ? AND (agent_id, line_no) IN ("
                    + " SELECT s.agent_id, s.line_no FROM fleet_import_stage s JOIN ("
                    + "  SELECT agent_id, MIN(line_no) AS first_line FROM fleet_import_stage WHERE import_id = ?"
                    + "  GROUP BY agent_id HAVING COUNT(*) > 1) f ON f.agent_id = s.agent_id"
                    + " WHERE s.import_id = ? AND s.line_no > f.first_line)", importId, importId, importId);
        }
        return count[0];
    }

    /**
     * Merges the staged lines into cluster, agent and stratum; empties the stage. New agents are inserted
     * in bulk with their ranks (the common case: a fleet arriving); known agents are merged.
     */
    Merged merge(UUID importId, Instant now) {
        long t0 = System.nanoTime();
        tuneForBulk();
        long[] totals = new long[2];
        // per stratum: new agents, and known agents that move in from another stratum; both need ranks
        jdbc.query("SELECT s.cluster_id, s.tz_offset,"
                + " SUM(CASE WHEN e.agent_id IS NULL THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN e.agent_id IS NOT NULL AND (e.cluster_id <> s.cluster_id OR e.tz_offset <> s.tz_offset)"
                + "   THEN 1 ELSE 0 END),"
                + " COUNT(*)"
                + " FROM fleet_import_stage s LEFT JOIN agent e ON e.agent_id = s.agent_id"
                + " WHERE s.import_id = ? GROUP BY s.cluster_id, s.tz_offset", rs -> {
                    long fresh = rs.getLong(3);
                    long moved = rs.getLong(4);
                    totals[0] += fresh;
                    totals[1] += rs.getLong(5) - fresh;
                    if (fresh + moved > 0) {
                        reserve(rs.getString(1), rs.getInt(2), fresh, moved);
                    }
                }, importId);
        long t1 = System.nanoTime();
        jdbc.update("MERGE INTO cluster c USING (SELECT cluster_id, MIN(region) AS region FROM fleet_import_stage"
                + " WHERE import_id = ? GROUP BY cluster_id) s ON (c.id = s.cluster_id)"
                + " WHEN NOT MATCHED THEN INSERT (id, region) VALUES (s.cluster_id, s.region)", importId);
        long t2 = System.nanoTime();
        Timestamp at = Timestamp.from(now);
        if (totals[1] > 0) {
            // agents moving to another stratum leave their rank vacant
            vacated(jdbc.query("SELECT e.cluster_id, e.tz_offset, e.stratum_rank FROM fleet_import_stage s"
                    + " JOIN agent e ON e.agent_id = s.agent_id WHERE s.import_id = ?"
                    + " AND (e.cluster_id <> s.cluster_id OR e.tz_offset <> s.tz_offset)",
                    (rs, n) -> new RanksVacated.Vacancy(rs.getString(1), rs.getInt(2), rs.getLong(3)), importId));
            // known agents first (they may move to another stratum, taking the ranks after the new ones)
            jdbc.update("MERGE INTO agent a USING ("
                    + " SELECT s.agent_id, s.cluster_id, s.region, s.tz_offset, s.labels,"
                    + "  CASE WHEN e.cluster_id = s.cluster_id AND e.tz_offset = s.tz_offset THEN e.stratum_rank"
                    + "   ELSE st.base + st.fresh + ROW_NUMBER() OVER (PARTITION BY s.cluster_id, s.tz_offset,"
                    + "     CASE WHEN e.cluster_id = s.cluster_id AND e.tz_offset = s.tz_offset THEN 0 ELSE 1 END"
                    + "     ORDER BY s.line_no) - 1 END AS stratum_rank, n.id AS stratum_id"
                    + " FROM fleet_import_stage s"
                    + " JOIN agent e ON e.agent_id = s.agent_id"
                    + " JOIN stratum n ON n.cluster_id = s.cluster_id AND n.tz_offset = s.tz_offset"
                    + " LEFT JOIN stratum_pending st ON st.cluster_id = s.cluster_id AND st.tz_offset = s.tz_offset"
                    + " WHERE s.import_id = ?) src ON (a.agent_id = src.agent_id)"
                    + " WHEN MATCHED THEN UPDATE SET cluster_id = src.cluster_id, region = src.region,"
                    + "  tz_offset = src.tz_offset, labels = src.labels, stratum_rank = src.stratum_rank,"
                    + "  stratum_id = src.stratum_id, updated_at = ?",
                    importId, at);
        }
        if (totals[0] > 0) {
            jdbc.update("INSERT INTO agent (agent_id, cluster_id, region, tz_offset, labels, stratum_rank, stratum_id,"
                    + " registered_at, updated_at) SELECT s.agent_id, s.cluster_id, s.region, s.tz_offset, s.labels,"
                    + "  st.base + ROW_NUMBER() OVER (PARTITION BY s.cluster_id, s.tz_offset ORDER BY s.line_no) - 1,"
                    + "  n.id, ?, ?"
                    + " FROM fleet_import_stage s"
                    + " JOIN stratum_pending st ON st.cluster_id = s.cluster_id AND st.tz_offset = s.tz_offset"
                    + " JOIN stratum n ON n.cluster_id = s.cluster_id AND n.tz_offset = s.tz_offset"
                    + " WHERE s.import_id = ? AND NOT EXISTS (SELECT 1 FROM agent e WHERE e.agent_id = s.agent_id)"
                    + " ORDER BY s.line_no",
                    at, at, importId);
        }
        long t3 = System.nanoTime();
        // the stage holds only this import's rows: every writer of the stage holds the fleet lock
        jdbc.update("DELETE FROM stratum_pending");
        jdbc.update("TRUNCATE TABLE fleet_import_stage");
        log.debug("Merged import {} in {} ms (ranks {}, clusters {}, agents {}, cleanup {})", importId,
                (System.nanoTime() - t0) / 1_000_000, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                (t3 - t2) / 1_000_000, (System.nanoTime() - t3) / 1_000_000);
        return new Merged(totals[0], totals[1]);
    }

    /**
     * Records ranks that agents left without another agent taking them: counted as holes of their strata (closed when
     * the next plan is frozen, {@link RankCompaction}), and published so that open plans count the agents out of
     * their batches. Inside the caller's transaction, under the fleet lock.
     */
    void vacated(List<RanksVacated.Vacancy> vacancies) {
        if (vacancies.isEmpty()) {
            return;
        }
        Map<List<Object>, Long> perStratum = new HashMap<>();
        vacancies.forEach(v -> perStratum.merge(List.of(v.clusterId(), v.tzOffset()), 1L, Long::sum));
        jdbc.batchUpdate("UPDATE stratum SET holes = holes + ? WHERE cluster_id = ? AND tz_offset = ?",
                perStratum.entrySet().stream().map(e -> new Object[] { e.getValue(), e.getKey().get(0), e.getKey().get(1) })
                        .toList());
        events.publishEvent(new RanksVacated(vacancies));
    }

    /** An import of this many new agents or more is vacuumed afterwards, whatever the fleet's size. */
    static final long VACUUM_AFTER = 100_000;

    /** Vacuums {@code agent} in the background, one at a time; an import that ends meanwhile asks for one more. */
    private final ExecutorService upkeep = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "fleet-vacuum");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean vacuumQueued = new AtomicBoolean();

    /**
     * After an import: refreshes the planner's statistics of {@code agent} when it grew by a tenth or
     * more (without them the planner, still believing a stratum holds a few dozen agents, reads a whole stratum to
     * list the agents of one batch: 82,000 rows for 4,000 at 20,000,000 agents), and after a large import vacuums it
     * in the background: the new rows' commit status and the visibility map are set in one sequential pass, on a
     * core the import leaves idle, instead of by the first batch listings and lookups that meet each row (or by
     * autovacuum while the first batches run).
     */
    public void refreshStatistics(long imported) {
        if (imported == 0) {
            return;
        }
        Double known = jdbc.queryForObject("SELECT reltuples::float8 FROM pg_class WHERE oid = 'agent'::regclass",
                Double.class);
        boolean grew = known == null || known < 0 || imported * 10 >= known;
        if (grew) {
            long t0 = System.nanoTime();
            jdbc.execute("ANALYZE agent");
            log.debug("Analyzed agent after {} imported ({} known before) in {} ms", imported, known,
                    (System.nanoTime() - t0) / 1_000_000);
        }
        if ((grew || imported >= VACUUM_AFTER) && vacuumQueued.compareAndSet(false, true)) {
            upkeep.execute(() -> {
                vacuumQueued.set(false);
                long t0 = System.nanoTime();
                try {
                    jdbc.execute("VACUUM agent");
                    log.debug("Vacuumed agent in {} ms", (System.nanoTime() - t0) / 1_000_000);
                }
                catch (RuntimeException e) {
                    log.warn("Vacuum of agent after an import failed (autovacuum will do it): {}", e.getMessage());
                }
            });
        }
    }

    @PreDestroy
    void stopUpkeep() {
        upkeep.shutdownNow();
    }

    /** Lets this transaction's sorts and hashes of a large import work in memory. */
    private void tuneForBulk() {
        jdbc.execute("SET LOCAL work_mem = '256MB'");
    }

    /**
     * Reserves ranks at the end of a stratum: new agents take [base, base + fresh), agents moving in take
     * the ones after; the merge reads them from stratum_pending.
     */
    private void reserve(String clusterId, int tzOffset, long fresh, long moved) {
        int updated = jdbc.update("UPDATE stratum SET next_rank = next_rank + ? WHERE cluster_id = ? AND tz_offset = ?",
                fresh + moved, clusterId, tzOffset);
        if (updated == 0) {
            jdbc.update("INSERT INTO stratum (cluster_id, tz_offset, next_rank) VALUES (?, ?, ?)", clusterId, tzOffset,
                    fresh + moved);
        }
        Long next = jdbc.queryForObject("SELECT next_rank FROM stratum WHERE cluster_id = ? AND tz_offset = ?",
                Long.class, clusterId, tzOffset);
        jdbc.update("INSERT INTO stratum_pending (cluster_id, tz_offset, base, fresh) VALUES (?, ?, ?, ?)",
                clusterId, tzOffset, next - fresh - moved, fresh);
    }
}
