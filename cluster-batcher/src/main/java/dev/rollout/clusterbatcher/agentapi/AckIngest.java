package dev.rollout.clusterbatcher.agentapi;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.rollout.clusterbatcher.activation.RolloutState;
import dev.rollout.clusterbatcher.activation.RolloutStates;
import dev.rollout.clusterbatcher.plan.BatchPlanner;
import dev.rollout.clusterbatcher.plan.BatchVacancies;
import dev.rollout.clusterbatcher.plan.FrozenPlan;
import dev.rollout.clusterbatcher.plan.SeatTokens;
import dev.rollout.starter.security.AgentCaller;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Takes acknowledgements and heartbeats in batches, each only from the agent itself, its cluster's gateway or
 * a service (any other item is rejected with the reason, the rest go on): each is checked against the agent's place in the
 * activated set; those that fit are stored with their batch and tallied ({@link AckStore}), and committed before
 * the answer. Acknowledgements that do not fit (agent not activated, another version, a rollout whose plan is
 * closed) are kept apart as integrity findings; unknown agents or rollouts are rejected by their index.
 */
@Service
class AckIngest {

    enum Status { OK, FAILED }

    /**
     * {@code seat}: the signed seat the agent was given ({@link SeatTokens}), or null; {@code unreadable}: why the item
     * could not be read at all (a CSV line with too few or too many fields), or null.
     */
    record Ack(String agentId, UUID rolloutId, String version, Status status, int latencyMs, long requests, long errors,
            String seat, String unreadable) {

        Ack(String agentId, UUID rolloutId, String version, Status status, int latencyMs, long requests, long errors,
                String seat) {
            this(agentId, rolloutId, version, status, latencyMs, requests, errors, seat, null);
        }

        static Ack unreadable(String why) {
            return new Ack(null, null, null, null, -1, 0, 0, null, why);
        }
    }

    record Rejected(int index, String agentId, String reason) {
    }

    record Result(int received, int accepted, int duplicates, int integrityFindings, List<Rejected> rejected) {
    }

    private static final int ROWS_PER_INSERT = 500;

    private record RolloutBatch(UUID rolloutId, int batch) {
    }

    private final AgentDirectory directory;
    private final RolloutStates states;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final MeterRegistry meters;
    private final AckStore store;
    private final BatchVacancies vacancies;

    AckIngest(AgentDirectory directory, RolloutStates states, JdbcTemplate jdbc, Clock clock, MeterRegistry meters,
            AckStore store, BatchVacancies vacancies) {
        this.vacancies = vacancies;
        this.directory = directory;
        this.states = states;
        this.jdbc = jdbc;
        this.clock = clock;
        this.meters = meters;
        this.store = store;
    }

    /** Why an item cannot be taken, or null when it is well formed. */
    static String malformed(Ack ack) {
        if (ack == null) {
            return "the item is null";
        }
        if (ack.unreadable() != null) {
            return ack.unreadable();
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
        if (ack.seat() != null && ack.seat().length() > 64) {
            return "seat is at most 64 characters: the one the agent was given";
        }
        return null;
    }

    private static final Logger log = LoggerFactory.getLogger(AckIngest.class);

    @Transactional
    Result ingest(List<Ack> acks, AgentCaller caller) {
        long t0 = System.nanoTime();
        Map<UUID, Optional<RolloutState>> rollouts = new HashMap<>();
        // an item that carries the seat its agent was given is placed by it; the others are looked up by id
        AgentDirectory.Place[] seated = new AgentDirectory.Place[acks.size()];
        boolean[] notItsSeat = new boolean[acks.size()];
        Map<RolloutBatch, Boolean> vacated = new HashMap<>();
        Set<String> ids = new HashSet<>(acks.size() * 2);
        // each plan's seats checked by one signer for the whole call
        Map<SeatTokens, SeatTokens.Signer> signers = new IdentityHashMap<>(4);
        int bySeat = 0;
        for (int i = 0; i < acks.size(); i++) {
            Ack ack = acks.get(i);
            if (malformed(ack) != null || !caller.mayAskFor(ack.agentId())) {
                continue;
            }
            if (ack.seat() != null) {
                Optional<RolloutState> rollout = rollouts.computeIfAbsent(ack.rolloutId(), states::of);
                Optional<SeatTokens> signer = rollout.flatMap(r -> r.plan().seats());
                if (signer.isPresent()) {
                    SeatTokens.Seat seat = signers.computeIfAbsent(signer.get(), SeatTokens::signer)
                            .verify(ack.agentId(), ack.seat());
                    if (seat == null) {
                        notItsSeat[i] = true;
                        continue;
                    }
                    seated[i] = seatIfStillHeld(rollout.get().plan(), ack.agentId(), seat, vacated);
                    if (seated[i] != null) {
                        bySeat++;
                        continue;
                    }
                }
                // the plan closed, or has no key, or an agent of the seat's batch left its place: looked up
            }
            ids.add(ack.agentId());
        }
        Map<String, AgentDirectory.Place> places = directory.find(ids);
        // how the agents were placed: an operator sees whether the gateways send the seats back
        meters.counter("rollout.agent.acks.placed", "by", "seat").increment(bySeat);
        meters.counter("rollout.agent.acks.placed", "by", "lookup").increment(ids.size());
        long t1 = System.nanoTime();
        Timestamp now = Timestamp.from(clock.instant());
        List<AckStore.Row> good = new ArrayList<>(acks.size());
        List<Object[]> findings = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        for (int i = 0; i < acks.size(); i++) {
            Ack ack = acks.get(i);
            String problem = malformed(ack);
            if (problem != null) {
                rejected.add(new Rejected(i, ack == null ? null : ack.agentId(), problem));
                continue;
            }
            if (!caller.mayAskFor(ack.agentId())) {
                rejected.add(new Rejected(i, ack.agentId(), caller.refusal(ack.agentId(), null)));
                continue;
            }
            if (notItsSeat[i]) {
                rejected.add(new Rejected(i, ack.agentId(), "seat " + ack.seat() + " was not given to agent "
                        + ack.agentId() + " in rollout " + ack.rolloutId() + ": send the seat of its desired state, or none"));
                continue;
            }
            AgentDirectory.Place place = seated[i] != null ? seated[i] : places.get(ack.agentId());
            if (place == null) {
                rejected.add(new Rejected(i, ack.agentId(), "unknown agent"));
                continue;
            }
            String refusal = caller.refusal(ack.agentId(), place.clusterId());
            if (refusal != null) {
                rejected.add(new Rejected(i, ack.agentId(), refusal));
                continue;
            }
            Optional<RolloutState> rollout = rollouts.computeIfAbsent(ack.rolloutId(), states::of);
            if (rollout.isEmpty()) {
                rejected.add(new Rejected(i, ack.agentId(), "unknown rollout " + ack.rolloutId() + " (no batch plan)"));
                continue;
            }
            RolloutState state = rollout.get();
            int batch = state.plan().batchOf(place.clusterId(), place.tzOffset(), place.rank());
            if (state.plan().closedAt() != null) {
                // the rollout has ended: its figures stay as they were (and its seats may have been given again)
                findings.add(new Object[] { ack.rolloutId(), ack.agentId(), ack.version(), "PLAN_CLOSED", batch, now });
            }
            else if (!state.activated(batch)) {
                findings.add(new Object[] { ack.rolloutId(), ack.agentId(), ack.version(), "OUTSIDE_ACTIVATED_SET", batch, now });
            }
            else if (!state.expects(batch, ack.version())) {
                findings.add(new Object[] { ack.rolloutId(), ack.agentId(), ack.version(), "OTHER_VERSION", batch, now });
            }
            else {
                good.add(new AckStore.Row(ack.rolloutId(), ack.agentId(), ack.version(), batch, place.clusterId(),
                        place.tzOffset(), place.rank(),
                        ack.status() == Status.OK, ack.latencyMs(), ack.requests(), ack.errors()));
            }
        }
        long t2 = System.nanoTime();
        // sorted, a repeat within the call sits next to its first: keep the first
        Collections.sort(good);
        List<AckStore.Row> fresh = new ArrayList<>(good.size());
        for (AckStore.Row row : good) {
            AckStore.Row last = fresh.isEmpty() ? null : fresh.get(fresh.size() - 1);
            if (last == null || last.compareTo(row) != 0) {
                fresh.add(row);
            }
        }
        List<AckStore.Row> stored = store.store(fresh, now);
        int accepted = stored.size();
        long t3 = System.nanoTime();
        int found = insert("INSERT INTO ack_integrity (rollout_id, agent_id, version, problem, batch, received_at) VALUES ",
                "(?, ?, ?, ?, ?, ?)", findings);
        long requests = 0;
        long errors = 0;
        for (AckStore.Row row : stored) {
            requests += row.requests();
            errors += row.errors();
        }
        // the traffic the agents report, counted once per acknowledgement: the error rate's alert reads it
        meters.counter("rollout.agent.reported.requests").increment(requests);
        meters.counter("rollout.agent.reported.errors").increment(errors);
        meters.counter("rollout.agent.acks", "outcome", "accepted").increment(accepted);
        meters.counter("rollout.agent.acks", "outcome", "duplicate").increment(good.size() - accepted);
        meters.counter("rollout.agent.acks", "outcome", "integrity").increment(findings.size());
        meters.counter("rollout.agent.acks", "outcome", "rejected").increment(rejected.size());
        log.debug("{} acknowledgements: lookup {} ms, checks {} ms, insert {} ms", acks.size(), (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
        return new Result(acks.size(), accepted, good.size() - accepted, found, rejected);
    }

    /**
     * The agent's place by its signed seat, while that seat is surely still its own: no agent of the seat's batch left
     * its place since the plan was frozen (a vacated rank is never given again while the plan is open). Null when one
     * did: the agent is then looked up, as an item without a seat is. Each batch's vacancies read once per call.
     */
    private AgentDirectory.Place seatIfStillHeld(FrozenPlan plan, String agentId, SeatTokens.Seat seat,
            Map<RolloutBatch, Boolean> vacated) {
        if (seat.stratum() >= plan.planner().strata().size()) {
            return null;
        }
        BatchPlanner.Stratum stratum = plan.planner().strata().get(seat.stratum());
        int batch = plan.batchOf(stratum.clusterId(), stratum.tzOffset(), seat.rank());
        if (batch < 0 || vacated.computeIfAbsent(new RolloutBatch(plan.rolloutId(), batch),
                k -> vacancies.of(k.rolloutId(), k.batch()) > 0)) {
            return null;
        }
        return new AgentDirectory.Place(agentId, stratum.clusterId(), stratum.tzOffset(), seat.rank());
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
