package dev.rollout.clusterbatcher.fleet;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

/** Empties the service's tables between tests. */
public final class FleetFixtures {

    private FleetFixtures() {
    }

    public static void clear(JdbcTemplate jdbc) {
        for (String table : new String[] { "batch_count", "batch_vacancy", "ack", "ack_integrity", "component_pin", "activation", "batch_plan_stratum",
                "batch_plan_component", "batch_plan", "fleet_import_rejection", "fleet_import", "fleet_import_stage",
                "stratum_pending", "agent", "stratum", "cluster" }) {
            jdbc.update("DELETE FROM " + table);
        }
    }

    static Map<String, Object> ranks(JdbcTemplate jdbc) {
        Map<String, Object> ranks = new LinkedHashMap<>();
        jdbc.query("SELECT agent_id, stratum_rank FROM agent", rs -> {
            ranks.put(rs.getString(1), rs.getLong(2));
        });
        return ranks;
    }
}
