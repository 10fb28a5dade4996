package dev.rollout.clusterbatcher.plan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.rollout.clusterbatcher.fleet.RanksVacated;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Agents that an open plan counts in a batch but that are gone from their place: counted per batch as they leave,
 * in the same transaction, so that a batch's health measures its response rate against the agents still there.
 */
@Component
public class BatchVacancies {

    private final BatchPlans plans;
    private final JdbcTemplate jdbc;

    BatchVacancies(BatchPlans plans, JdbcTemplate jdbc) {
        this.plans = plans;
        this.jdbc = jdbc;
    }

    @EventListener
    void vacated(RanksVacated event) {
        for (UUID rollout : jdbc.queryForList("SELECT rollout_id FROM batch_plan WHERE closed_at IS NULL", UUID.class)) {
            BatchPlanner planner = plans.load(rollout).orElseThrow().planner();
            Map<String, Integer> strata = new HashMap<>();
            for (int s = 0; s < planner.strata().size(); s++) {
                strata.put(planner.strata().get(s).clusterId() + '\u0000' + planner.strata().get(s).tzOffset(), s);
            }
            Map<Integer, Long> perBatch = new TreeMap<>();
            for (RanksVacated.Vacancy v : event.vacancies()) {
                Integer s = strata.get(v.clusterId() + '\u0000' + v.tzOffset());
                int batch = s == null ? -1 : planner.batchOf(s, v.rank());
                if (batch >= 0) {
                    perBatch.merge(batch, 1L, Long::sum);
                }
            }
            // the writers of ranks hold the fleet lock: one at a time here
            perBatch.forEach((batch, agents) -> {
                if (jdbc.update("UPDATE batch_vacancy SET agents = agents + ? WHERE rollout_id = ? AND batch = ?", agents,
                        rollout, batch) == 0) {
                    jdbc.update("INSERT INTO batch_vacancy (rollout_id, batch, agents) VALUES (?, ?, ?)", rollout, batch,
                            agents);
                }
            });
        }
    }

    /** Agents of batch {@code batch} (0-based) of the rollout's plan that left their place since it was frozen. */
    public long of(UUID rollout, int batch) {
        List<Long> found = jdbc.queryForList("SELECT agents FROM batch_vacancy WHERE rollout_id = ? AND batch = ?",
                Long.class, rollout, batch);
        return found.isEmpty() ? 0 : found.get(0);
    }
}
