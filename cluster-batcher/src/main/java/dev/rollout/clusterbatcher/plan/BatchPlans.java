package dev.rollout.clusterbatcher.plan;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.rollout.clusterbatcher.fleet.FleetLock;
import dev.rollout.clusterbatcher.fleet.RankCompaction;
import dev.rollout.starter.web.ProblemException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Freezes, stores and loads batch plans. */
@Service
public class BatchPlans {

    /** More batches than this is a plan nobody can follow (and a sign of a wrong batch size). */
    static final int MAX_BATCHES = 1000;

    /** What freezing needs: the sizes and the versions the batches move between. */
    public record Freeze(long batchSize, long fleetCap, String targetVersion, String previousVersion,
            List<FrozenPlan.ComponentVersions> components) {
    }

    /** The stored plan, and whether this call froze it. */
    public record Frozen(FrozenPlan plan, boolean created) {
    }

    private final Map<UUID, FrozenPlan> loaded = new ConcurrentHashMap<>();
    private final JdbcTemplate jdbc;
    private final FleetLock lock;
    private final RankCompaction compaction;
    private final Clock clock;

    BatchPlans(JdbcTemplate jdbc, FleetLock lock, RankCompaction compaction, Clock clock) {
        this.jdbc = jdbc;
        this.lock = lock;
        this.compaction = compaction;
        this.clock = clock;
    }

    /**
     * Freezes the plan of a rollout over the fleet as it is now. Idempotent: the same request again
     * answers the stored plan; a different one is a conflict.
     */
    @Transactional
    public Frozen freeze(UUID rolloutId, Freeze request, String actor) {
        if (request.batchSize() > request.fleetCap()) {
            throw ProblemException.unprocessable("batchSize " + request.batchSize() + " is above the fleet cap "
                    + request.fleetCap());
        }
        lock.acquire();
        Optional<FrozenPlan> existing = load(rolloutId);
        if (existing.isPresent()) {
            FrozenPlan plan = existing.get();
            if (plan.planner().batchSize() != request.batchSize() || plan.fleetCap() != request.fleetCap()
                    || !plan.targetVersion().equals(request.targetVersion())) {
                throw ProblemException.conflict("The plan of rollout " + rolloutId + " was frozen at "
                        + plan.frozenAt() + " with batchSize " + plan.planner().batchSize() + ", fleetCap "
                        + plan.fleetCap() + " and version " + plan.targetVersion() + "; a frozen plan does not change");
            }
            return new Frozen(plan, false);
        }
        // a stratum's vacant ranks would be counted as agents of the plan: closed first, while no plan is open
        compaction.compactUnlessPlanOpen();
        List<BatchPlanner.StratumSize> sizes = jdbc.query("SELECT cluster_id, tz_offset, next_rank FROM stratum"
                + " WHERE next_rank > 0", (rs, n) -> new BatchPlanner.StratumSize(rs.getString(1), rs.getInt(2),
                        rs.getLong(3)));
        if (sizes.isEmpty()) {
            throw ProblemException.unprocessable("The fleet has no agents: import the fleet before freezing a plan");
        }
        long seed = rolloutId.getMostSignificantBits() ^ rolloutId.getLeastSignificantBits();
        BatchPlanner planner = BatchPlanner.freeze(sizes, request.batchSize(), request.fleetCap(), seed);
        if (planner.batchCount() > MAX_BATCHES) {
            throw ProblemException.unprocessable("batchSize " + request.batchSize() + " makes " + planner.batchCount()
                    + " batches of a fleet of " + planner.planned() + "; at most " + MAX_BATCHES);
        }
        long[][] counts = counts(planner);
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("INSERT INTO batch_plan (rollout_id, batch_size, fleet_cap, planned, batch_count, seed,"
                + " target_version, previous_version, frozen_by, frozen_at, seat_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rolloutId, request.batchSize(), request.fleetCap(), planner.planned(), planner.batchCount(), seed,
                request.targetVersion(), request.previousVersion(), actor, now, SeatTokens.newKey());
        jdbc.batchUpdate("INSERT INTO batch_plan_component (rollout_id, name, target_version, previous_version)"
                + " VALUES (?, ?, ?, ?)", request.components(), 100, (ps, c) -> {
                    ps.setObject(1, rolloutId);
                    ps.setString(2, c.name());
                    ps.setString(3, c.targetVersion());
                    ps.setString(4, c.previousVersion());
                });
        List<BatchPlanner.Stratum> strata = planner.strata();
        List<Object[]> strataRows = new ArrayList<>();
        for (int i = 0; i < strata.size(); i++) {
            BatchPlanner.Stratum s = strata.get(i);
            strataRows.add(new Object[] { rolloutId, i, s.clusterId(), s.tzOffset(), s.size(), s.multiplier(), s.offset() });
        }
        jdbc.batchUpdate("INSERT INTO batch_plan_stratum (rollout_id, idx, cluster_id, tz_offset, size, multiplier, shift)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", strataRows);
        List<Object[]> countRows = new ArrayList<>();
        for (int b = 0; b < counts.length; b++) {
            for (int s = 0; s < counts[b].length; s++) {
                if (counts[b][s] > 0) {
                    countRows.add(new Object[] { rolloutId, b, s, counts[b][s] });
                }
            }
        }
        jdbc.batchUpdate("INSERT INTO batch_count (rollout_id, batch, idx, agents) VALUES (?, ?, ?, ?)", countRows);
        return new Frozen(load(rolloutId).orElseThrow(), true);
    }

    /** Agents per batch and stratum: the differences of the per-stratum counts at each batch edge. */
    static long[][] counts(BatchPlanner planner) {
        int batches = planner.batchCount();
        int strata = planner.strata().size();
        long[][] before = new long[batches + 1][strata];
        for (int b = 0; b <= batches; b++) {
            long edge = Math.min((long) b * planner.batchSize(), planner.planned());
            for (int s = 0; s < strata; s++) {
                before[b][s] = planner.countInStratumBefore(s, edge);
            }
        }
        long[][] counts = new long[batches][strata];
        for (int b = 0; b < batches; b++) {
            for (int s = 0; s < strata; s++) {
                counts[b][s] = before[b + 1][s] - before[b][s];
            }
        }
        return counts;
    }

    /** Closes a plan when its rollout ends (ranks may be compacted again once no plan is open). */
    @Transactional
    public void close(UUID rolloutId) {
        load(rolloutId).orElseThrow(() -> ProblemException.notFound("Batch plan of rollout", rolloutId));
        jdbc.update("UPDATE batch_plan SET closed_at = ? WHERE rollout_id = ? AND closed_at IS NULL",
                Timestamp.from(clock.instant()), rolloutId);
    }

    /**
     * The plan of a rollout. A frozen plan never changes but for its closing time, so it is built once per
     * replica and kept; each call reads only the plan's row by its key (which also notices a plan closed on
     * another replica). Activating a batch thus costs the same whatever the number of batches and strata.
     */
    @Transactional(readOnly = true)
    public Optional<FrozenPlan> load(UUID rolloutId) {
        List<Instant[]> head = jdbc.query("SELECT frozen_at, closed_at FROM batch_plan WHERE rollout_id = ?",
                (rs, n) -> new Instant[] { rs.getTimestamp(1).toInstant(),
                        rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant() }, rolloutId);
        if (head.isEmpty()) {
            loaded.remove(rolloutId);
            return Optional.empty();
        }
        FrozenPlan cached = loaded.get(rolloutId);
        if (cached != null && cached.frozenAt().equals(head.get(0)[0])
                && Objects.equals(cached.closedAt(), head.get(0)[1])) {
            return Optional.of(cached);
        }
        Optional<FrozenPlan> plan = read(rolloutId);
        plan.ifPresent(p -> loaded.put(rolloutId, p));
        return plan;
    }

    private Optional<FrozenPlan> read(UUID rolloutId) {
        List<Object[]> head = jdbc.query("SELECT batch_size, fleet_cap, batch_count, target_version, previous_version,"
                + " frozen_by, frozen_at, closed_at, seat_key FROM batch_plan WHERE rollout_id = ?", (rs, n) -> new Object[] {
                        rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getTimestamp(7).toInstant(), rs.getTimestamp(8) == null ? null : rs.getTimestamp(8).toInstant(),
                        rs.getBytes(9) },
                rolloutId);
        if (head.isEmpty()) {
            return Optional.empty();
        }
        Object[] h = head.get(0);
        List<BatchPlanner.Stratum> strata = jdbc.query("SELECT cluster_id, tz_offset, size, multiplier, shift"
                + " FROM batch_plan_stratum WHERE rollout_id = ? ORDER BY idx", (rs, n) -> new BatchPlanner.Stratum(
                        rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)), rolloutId);
        List<FrozenPlan.ComponentVersions> components = jdbc.query("SELECT name, target_version, previous_version"
                + " FROM batch_plan_component WHERE rollout_id = ? ORDER BY name", (rs, n) ->
                        new FrozenPlan.ComponentVersions(rs.getString(1), rs.getString(2), rs.getString(3)), rolloutId);
        int batches = (int) h[2];
        long[][] counts = new long[batches][strata.size()];
        jdbc.query("SELECT batch, idx, agents FROM batch_count WHERE rollout_id = ?", rs -> {
            counts[rs.getInt(1)][rs.getInt(2)] = rs.getLong(3);
        }, rolloutId);
        BatchPlanner planner = BatchPlanner.of(strata, (long) h[0], (long) h[1]);
        return Optional.of(new FrozenPlan(rolloutId, planner, (String) h[3], (String) h[4], components, counts,
                (String) h[5], (Instant) h[6], (Instant) h[7], (byte[]) h[8]));
    }

    /** The plan of the rollout in progress: the newest open one. */
    @Transactional(readOnly = true)
    public Optional<UUID> openRollout() {
        return jdbc.query("SELECT rollout_id FROM batch_plan WHERE closed_at IS NULL ORDER BY frozen_at DESC",
                (rs, n) -> rs.getObject(1, UUID.class)).stream().findFirst();
    }
}
