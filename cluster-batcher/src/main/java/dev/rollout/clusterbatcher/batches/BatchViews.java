package dev.rollout.clusterbatcher.batches;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rollout.clusterbatcher.fleet.SeatKey;
import dev.rollout.clusterbatcher.fleet.TimeZones;
import dev.rollout.clusterbatcher.plan.BatchPlanner;
import dev.rollout.clusterbatcher.plan.BatchPlans;
import dev.rollout.clusterbatcher.plan.BatchVacancies;
import dev.rollout.clusterbatcher.plan.FrozenPlan;
import dev.rollout.clusterbatcher.plan.RankOrder;
import dev.rollout.clusterbatcher.plan.SeatTokens;
import dev.rollout.starter.web.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The batches of a plan as release managers and the gate read them: composition, activation, health. */
@Service
class BatchViews {

    /** A batch's (or the fleet's) activation: not yet, in force, or undone by a rollback. */
    enum ActivationState { PENDING, ACTIVE, DEACTIVATED }

    record Activation(ActivationState state, Instant activatedAt, String activatedBy, Instant deactivatedAt, String reason) {
    }

    record Composition(long agents, Map<String, Long> byTimeZone, Map<String, Long> byCluster, int timeZones) {
    }

    record Health(long activated, long departed, long acknowledged, double responseRate, long failedAcks, long requests,
            long errors, Double errorRate, Double latencyMeanMs, Double latencyP95Ms, int timeZonesHeardFrom,
            int timeZonesInBatch, List<String> silentTimeZones, Integrity integrity) {
    }

    /** Acknowledgements kept apart: from agents outside the activated set, for another version, after the plan closed. */
    record Integrity(long outsideActivatedSet, long otherVersion, long afterClose, List<Finding> findings) {
    }

    record Finding(String agentId, String version, String problem, Instant receivedAt) {
    }

    record Batch(int number, int of, Composition composition, Activation activation, Health health) {
    }

    record Plan(UUID rolloutId, String targetVersion, String previousVersion, long planned, long batchSize,
            int batchCount, boolean fleetActivated, Map<String, String> pinnedComponents, List<Batch> batches) {
    }

    /** {@code seat}: the agent's signed seat in the plan, when asked for (see {@link SeatTokens}). */
    record AgentRow(String agentId, String clusterId, String region, String timeZone, String labels,
            @JsonInclude(JsonInclude.Include.NON_NULL) String seat) {
    }

    record AgentPage(int batch, int page, int size, long totalAgents, List<AgentRow> agents) {
    }

    private static final int LISTED_FINDINGS = 100;
    /**
     * Bytes of batch orders kept (8 MB for a batch of 1,000,000 held seat by seat, ~10 kB for a larger one walked);
     * past this, the older ones are built again if they are asked for again.
     */
    private static final long KEPT_ORDER_BYTES = 64L << 20;

    /** Plans whose strata numbers are kept (a few hundred bytes each). */
    private static final int KEPT_PLANS = 1_000;

    private final Map<PlanKey, int[]> stratumIds = new ConcurrentHashMap<>();
    private final BatchPlans plans;
    private final BatchVacancies vacancies;
    private final JdbcTemplate jdbc;
    private final Map<OrderKey, RankOrder> orders = new ConcurrentHashMap<>();
    private final AtomicLong keptBytes = new AtomicLong();

    BatchViews(BatchPlans plans, BatchVacancies vacancies, JdbcTemplate jdbc) {
        this.plans = plans;
        this.vacancies = vacancies;
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public Plan plan(UUID rolloutId, boolean withHealth) {
        FrozenPlan plan = load(rolloutId);
        Map<Integer, Activation> activations = activations(rolloutId);
        List<Batch> batches = new ArrayList<>();
        for (int b = 0; b < plan.planner().batchCount(); b++) {
            Composition composition = composition(plan, b);
            Activation activation = activations.getOrDefault(b, pending());
            // a batch never activated has no health to read
            Health health = withHealth && activation.activatedAt() != null ? health(rolloutId, b, composition) : null;
            batches.add(new Batch(b + 1, plan.planner().batchCount(), composition, activation, health));
        }
        Map<String, String> pins = new TreeMap<>();
        jdbc.query("SELECT component, version FROM component_pin WHERE rollout_id = ?",
                rs -> { pins.put(rs.getString(1), rs.getString(2)); }, rolloutId);
        Activation fleet = activations.get(-1);
        return new Plan(rolloutId, plan.targetVersion(), plan.previousVersion(), plan.planner().planned(),
                plan.planner().batchSize(), plan.planner().batchCount(), fleet != null && fleet.state() == ActivationState.ACTIVE,
                pins, batches);
    }

    @Transactional(readOnly = true)
    public Batch batch(UUID rolloutId, int number) {
        FrozenPlan plan = load(rolloutId);
        int b = index(plan, number);
        Composition composition = composition(plan, b);
        Activation activation = activations(rolloutId).getOrDefault(b, pending());
        return new Batch(number, plan.planner().batchCount(), composition, activation,
                health(rolloutId, b, composition));
    }

    private Health health(UUID rolloutId, int b, Composition composition) {
        // the batch's tally: counts per time zone and latency, summed as the acknowledgements arrived
        List<long[]> tally = jdbc.query("SELECT latency_ms, acks, failed, requests, errors, tz_offset FROM ack_tally"
                + " WHERE rollout_id = ? AND batch = ? ORDER BY latency_ms", (rs, n) -> new long[] { rs.getLong(1),
                        rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6) }, rolloutId, b);
        Figures figures = Figures.of(tally);
        long acked = figures.acks();
        Double p95 = figures.percentile(0.95);
        List<Integer> heard = figures.zones();
        List<String> silent = composition.byTimeZone().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(Map.Entry::getKey)
                .filter(zone -> heard.stream().noneMatch(h -> TimeZones.label(h).equals(zone))).toList();
        long requests = figures.requests();
        long errors = figures.errors();
        Map<String, Long> problems = new LinkedHashMap<>();
        jdbc.query("SELECT problem, COUNT(*) FROM ack_integrity WHERE rollout_id = ? AND batch = ? GROUP BY problem",
                rs -> { problems.put(rs.getString(1), rs.getLong(2)); }, rolloutId, b);
        List<Finding> findings = jdbc.query("SELECT agent_id, version, problem, received_at FROM ack_integrity"
                + " WHERE rollout_id = ? AND batch = ? ORDER BY received_at, agent_id LIMIT ?", (rs, n) -> new Finding(
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()),
                rolloutId, b, LISTED_FINDINGS);
        // the agents the plan counts in the batch, but for those that left their place since it was frozen
        long vacant = vacancies.of(rolloutId, b);
        long activated = Math.max(0, composition.agents() - vacant);
        return new Health(activated, vacant, acked, activated == 0 ? 0 : (double) acked / activated, figures.failed(),
                requests, errors, requests == 0 ? null : (double) errors / requests, figures.mean(), p95, heard.size(),
                composition.timeZones(), silent, new Integrity(problems.getOrDefault("OUTSIDE_ACTIVATED_SET", 0L),
                        problems.getOrDefault("OTHER_VERSION", 0L), problems.getOrDefault("PLAN_CLOSED", 0L), findings));
    }

    /**
     * A page of the batch's agents, in the order of the stratum index (by rank, then stratum: {@link RankOrder}), so
     * that the agents of a page lie side by side in the index.
     */
    @Transactional(readOnly = true)
    public AgentPage agents(UUID rolloutId, int number, int page, int size, boolean withLabels, boolean withSeats) {
        FrozenPlan plan = load(rolloutId);
        SeatTokens signer = signer(plan, rolloutId, withSeats);
        RankOrder order = order(plan, index(plan, number));
        RankOrder.Seat[] seats = order.seats((long) page * size, size);
        AgentRow[] rows = new AgentRow[seats.length];
        SeatTokens.Signer signs = signer == null ? null : signer.signer();
        fetch(plan, seats, withLabels, (i, rs) -> {
            BatchPlanner.Stratum stratum = plan.planner().strata().get(seats[i].stratum());
            String agentId = rs.getString(2);
            rows[i] = new AgentRow(agentId, stratum.clusterId(), rs.getString(3), TimeZones.label(stratum.tzOffset()),
                    withLabels ? rs.getString(4) : null,
                    signs == null ? null : signs.sign(agentId, seats[i].stratum(), seats[i].rank()));
        });
        List<AgentRow> listed = new ArrayList<>(rows.length);
        for (AgentRow row : rows) {
            if (row != null) {
                listed.add(row);
            }
        }
        return new AgentPage(number, page, size, order.total(), listed);
    }

    /** A page of a batch's agents as CSV, {@link AgentCsv}; {@code totalAgents}: the batch's. */
    record CsvPage(long totalAgents, byte[] csv) {
    }

    /**
     * The same page as {@link #agents} without labels, as CSV written from the bytes the database sends: each agent's
     * id and region as they arrive, its cluster and time zone from its stratum, its seat signed from its id's bytes.
     */
    @Transactional(readOnly = true)
    public CsvPage agentsCsv(UUID rolloutId, int number, int page, int size, boolean withSeats) {
        FrozenPlan plan = load(rolloutId);
        SeatTokens signer = signer(plan, rolloutId, withSeats);
        RankOrder order = order(plan, index(plan, number));
        RankOrder.Seat[] seats = order.seats((long) page * size, size);
        byte[][] ids = new byte[seats.length][];
        byte[][] regions = new byte[seats.length][];
        fetch(plan, seats, false, (i, rs) -> {
            ids[i] = rs.getBytes(2);
            regions[i] = rs.getBytes(3);
        });
        List<BatchPlanner.Stratum> strata = plan.planner().strata();
        byte[][] clusters = new byte[strata.size()][];
        byte[][] zones = new byte[strata.size()][];
        SeatTokens.Signer signs = signer == null ? null : signer.signer();
        AgentCsv csv = new AgentCsv(withSeats, seats.length);
        for (int i = 0; i < seats.length; i++) {
            if (ids[i] == null) {
                continue;
            }
            int s = seats[i].stratum();
            if (clusters[s] == null) {
                clusters[s] = AgentCsv.utf8(strata.get(s).clusterId());
                zones[s] = AgentCsv.utf8(TimeZones.label(strata.get(s).tzOffset()));
            }
            csv.field(ids[i]).comma().field(clusters[s]).comma().field(regions[i]).comma().field(zones[s]);
            if (signs != null) {
                csv.comma().seat(signs, ids[i], s, seats[i].rank());
            }
            csv.lineBreak();
        }
        return new CsvPage(order.total(), csv.toBytes());
    }

    /** The plan's seat signer where seats are asked for (null where they are not); 409 where it has none. */
    private static SeatTokens signer(FrozenPlan plan, UUID rolloutId, boolean withSeats) {
        if (!withSeats) {
            return null;
        }
        return plan.seats().orElseThrow(() -> ProblemException.conflict("The plan of rollout " + rolloutId
                + (plan.closedAt() != null ? " is closed: its seats are no longer handed out"
                        : " was frozen before plans signed their seats: list it without seats")));
    }

    /**
     * The order of a batch: built from the plan's arithmetic (~5 ms for a batch of 1,000,000 held seat
     * by seat, ~100 ms for one walked from checkpoints), then kept. Past
     * {@link #KEPT_ORDER_BYTES}, the orders kept before it are let go.
     */
    private RankOrder order(FrozenPlan plan, int b) {
        OrderKey key = new OrderKey(plan.rolloutId(), plan.frozenAt(), b);
        RankOrder order = orders.get(key);
        if (order == null) {
            order = orders.computeIfAbsent(key, k -> RankOrder.of(plan, b));
            if (keptBytes.addAndGet(order.footprint()) > KEPT_ORDER_BYTES) {
                orders.keySet().removeIf(kept -> !kept.equals(key));
                keptBytes.set(order.footprint());
            }
        }
        return order;
    }

    private record OrderKey(UUID rolloutId, Instant frozenAt, int batch) {
    }

    /** Takes the row of the agent at place {@code i} of a page: seat, agent_id, region and, with labels, labels. */
    private interface Listed {
        void row(int i, ResultSet rs) throws SQLException;
    }

    /**
     * The agents at these seats, each handed to {@code listed} with its place on the page (a seat left vacant since
     * the plan was frozen lists no one); without labels, from the stratum index alone on PostgreSQL. The page's seats
     * as one array of seat keys, found in one scan of the index: PostgreSQL sorts the array and walks the index in
     * its order, so the rows come in the order of the keys, and each is matched to its place by walking them too (a
     * row out of that order is searched for).
     */
    private void fetch(FrozenPlan plan, RankOrder.Seat[] seats, boolean withLabels, Listed listed) {
        int n = seats.length;
        if (n == 0) {
            return;
        }
        int[] ids = stratumIds(plan);
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = SeatKey.of(seats[i].rank(), ids[seats[i].stratum()]);
        }
        // the keys in ascending order, and the place of each on the page (keys are distinct: one seat, one key)
        long[] sortedKeys = keys.clone();
        Arrays.sort(sortedKeys);
        int[] places = new int[n];
        Long[] sorted = new Long[n];
        for (int i = 0; i < n; i++) {
            places[Arrays.binarySearch(sortedKeys, keys[i])] = i;
            sorted[i] = sortedKeys[i];
        }
        String columns = "seat, agent_id, region" + (withLabels ? ", labels" : "");
        int[] next = { 0 };
        jdbc.query(c -> {
            PreparedStatement ps = c.prepareStatement("SELECT " + columns + " FROM agent WHERE seat = ANY (?)");
            ps.setArray(1, c.createArrayOf("int8", sorted));
            return ps;
        }, (RowCallbackHandler) rs -> {
            long key = rs.getLong(1);
            int at = next[0];
            while (at < n && sortedKeys[at] < key) {
                at++;
            }
            if (at == n || sortedKeys[at] != key) {
                at = Arrays.binarySearch(sortedKeys, key);
            }
            next[0] = at + 1;
            listed.row(places[at], rs);
        });
    }

    /**
     * The fleet's number of each of the plan's strata, by the plan's index (strata keep their number, so it is looked up
     * once a plan).
     */
    private int[] stratumIds(FrozenPlan plan) {
        PlanKey key = new PlanKey(plan.rolloutId(), plan.frozenAt());
        int[] ids = stratumIds.get(key);
        if (ids == null) {
            int[] found = new int[plan.planner().strata().size()];
            jdbc.query("SELECT p.idx, s.id FROM batch_plan_stratum p JOIN stratum s ON s.cluster_id = p.cluster_id"
                    + " AND s.tz_offset = p.tz_offset WHERE p.rollout_id = ?", rs -> {
                        found[rs.getInt(1)] = rs.getInt(2);
                    }, plan.rolloutId());
            if (stratumIds.size() >= KEPT_PLANS) {
                stratumIds.clear();
            }
            stratumIds.put(key, found);
            ids = found;
        }
        return ids;
    }

    private record PlanKey(UUID rolloutId, Instant frozenAt) {
    }

    private Composition composition(FrozenPlan plan, int b) {
        Map<String, Long> byZone = new LinkedHashMap<>();
        for (int zone = TimeZones.FIRST; zone <= TimeZones.LAST; zone++) {
            byZone.put(TimeZones.label(zone), 0L);
        }
        Map<String, Long> byCluster = new TreeMap<>();
        long total = 0;
        for (int s = 0; s < plan.planner().strata().size(); s++) {
            long n = plan.count(b, s);
            BatchPlanner.Stratum stratum = plan.planner().strata().get(s);
            byZone.merge(TimeZones.label(stratum.tzOffset()), n, Long::sum);
            byCluster.merge(stratum.clusterId(), n, Long::sum);
            total += n;
        }
        int zones = (int) byZone.values().stream().filter(n -> n > 0).count();
        return new Composition(total, byZone, byCluster, zones);
    }

    private Map<Integer, Activation> activations(UUID rolloutId) {
        Map<Integer, Activation> activations = new HashMap<>();
        jdbc.query("SELECT batch, activated_at, activated_by, deactivated_at, reason FROM activation WHERE rollout_id = ?",
                rs -> {
                    Timestamp off = rs.getTimestamp(4);
                    activations.put(rs.getInt(1), new Activation(off == null ? ActivationState.ACTIVE : ActivationState.DEACTIVATED,
                            rs.getTimestamp(2).toInstant(), rs.getString(3), off == null ? null : off.toInstant(),
                            rs.getString(5)));
                }, rolloutId);
        return activations;
    }

    private static Activation pending() {
        return new Activation(ActivationState.PENDING, null, null, null, null);
    }

    private FrozenPlan load(UUID rolloutId) {
        return plans.load(rolloutId).orElseThrow(() -> ProblemException.notFound("Batch plan of rollout", rolloutId));
    }

    private static int index(FrozenPlan plan, int number) {
        if (number < 1 || number > plan.planner().batchCount()) {
            throw new ProblemException(HttpStatus.NOT_FOUND, "Batch " + number + " does not exist: the plan has batches 1 to "
                    + plan.planner().batchCount());
        }
        return number - 1;
    }
}
