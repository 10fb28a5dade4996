package dev.rollout.clusterbatcher.fleet;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.rollout.starter.web.ProblemException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** One agent at a time: register, update, read, deregister. */
@Service
public class FleetAgents {

    /** An agent of the fleet with its place in its stratum. */
    public record Agent(String agentId, String clusterId, String region, int tzOffset, String timeZone, String labels,
            long stratumRank, Instant registeredAt, Instant updatedAt) {
    }

    private final JdbcTemplate jdbc;
    private final Staging staging;
    private final FleetWriter writer;
    private final Clock clock;

    FleetAgents(JdbcTemplate jdbc, Staging staging, FleetWriter writer, Clock clock) {
        this.jdbc = jdbc;
        this.staging = staging;
        this.writer = writer;
        this.clock = clock;
    }

    /** Registers or updates one agent; true when it is new. */
    @Transactional
    public boolean register(AgentLine line) {
        writer.lock();
        UUID id = UUID.randomUUID();
        staging.stage(id, 1, line);
        return writer.merge(id, clock.instant()).imported() == 1;
    }

    @Transactional(readOnly = true)
    public Optional<Agent> find(String agentId) {
        List<Agent> found = jdbc.query("SELECT agent_id, cluster_id, region, tz_offset, labels, stratum_rank,"
                + " registered_at, updated_at FROM agent WHERE agent_id = ?", (rs, n) -> new Agent(rs.getString(1),
                        rs.getString(2), rs.getString(3), rs.getInt(4), TimeZones.label(rs.getInt(4)), rs.getString(5),
                        rs.getLong(6), rs.getTimestamp(7).toInstant(),
                        rs.getTimestamp(8) == null ? null : rs.getTimestamp(8).toInstant()), agentId);
        return found.stream().findFirst();
    }

    /**
     * Removes an agent. While no rollout's plan is open, the last agent of its stratum takes its rank, so
     * ranks stay dense; during a rollout the rank stays vacant, so that no other agent changes batch, and is
     * counted as a hole of its stratum, closed when the next plan is frozen.
     */
    @Transactional
    public void deregister(String agentId) {
        writer.lock();
        Agent agent = find(agentId).orElseThrow(() -> ProblemException.notFound("Agent", agentId));
        jdbc.update("DELETE FROM agent WHERE agent_id = ?", agentId);
        Integer open = jdbc.queryForObject("SELECT count(*) FROM batch_plan WHERE closed_at IS NULL", Integer.class);
        if (open != null && open > 0) {
            writer.vacated(List.of(new RanksVacated.Vacancy(agent.clusterId(), agent.tzOffset(), agent.stratumRank())));
            return;
        }
        Long next = jdbc.queryForObject("SELECT next_rank FROM stratum WHERE cluster_id = ? AND tz_offset = ?",
                Long.class, agent.clusterId(), agent.tzOffset());
        long last = next == null ? 0 : next - 1;
        if (agent.stratumRank() != last) {
            jdbc.update("UPDATE agent SET stratum_rank = ? WHERE seat = " + SeatKey.OF_RANK_CLUSTER_ZONE,
                    agent.stratumRank(), last, agent.clusterId(), agent.tzOffset());
        }
        jdbc.update("UPDATE stratum SET next_rank = ? WHERE cluster_id = ? AND tz_offset = ?", last, agent.clusterId(),
                agent.tzOffset());
    }
}
