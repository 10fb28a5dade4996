package dev.rollout.clusterbatcher.fleet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.rollout.starter.test.Http;
import org.springframework.jdbc.core.JdbcTemplate;

/** Empties the service's tables between tests; sets up a fleet with its first batch active. */
public final class FleetFixtures {

    private FleetFixtures() {
    }

    public static void clear(JdbcTemplate jdbc) {
        for (String table : new String[] { "batch_count", "batch_vacancy", "ack", "ack_keyed", "ack_seat", "ack_integrity", "component_pin", "activation", "batch_plan_stratum",
                "batch_plan_component", "batch_plan", "fleet_import_rejection", "fleet_import", "fleet_import_stage",
                "stratum_pending", "agent", "stratum", "cluster" }) {
            jdbc.update("DELETE FROM " + table);
        }
    }

    /**
     * Imports {@code agents} agents ({@code prefix}0, {@code prefix}1, ... in cluster eu-1, time zone UTC), freezes a
     * plan of one batch holding them all (planner 2.3.1 to 2.4.0) and activates it; returns the rollout.
     */
    public static UUID oneBatchActive(Http http, String prefix, int agents) {
        StringBuilder csv = new StringBuilder("agent_id,cluster,region,time_zone\n");
        for (int i = 0; i < agents; i++) {
            csv.append(prefix).append(i).append(",eu-1,r,UTC\n");
        }
        http.post("/api/fleet/imports", "dev-ci", "text/csv", csv.toString(), Map.of());
        UUID rollout = UUID.randomUUID();
        http.post("/api/rollouts/" + rollout + "/batch-plan", "dev-service", """
                {"batchSize": %d, "fleetCap": %d, "targetVersion": "2.4.0", "previousStableVersion": "2.3.1",
                 "components": [{"name": "planner", "version": "2.4.0", "previousVersion": "2.3.1"}]}"""
                .formatted(agents, agents));
        http.post("/api/rollouts/" + rollout + "/batches/1/activation", "dev-service", "");
        return rollout;
    }

    static Map<String, Object> ranks(JdbcTemplate jdbc) {
        Map<String, Object> ranks = new LinkedHashMap<>();
        jdbc.query("SELECT agent_id, stratum_rank FROM agent", rs -> {
            ranks.put(rs.getString(1), rs.getLong(2));
        });
        return ranks;
    }

    /** One chunk of a chunked request body, sent at once. */
    static void chunk(OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(out, Integer.toHexString(bytes.length) + "\r\n");
        out.write(bytes);
        write(out, "\r\n");
        out.flush();
    }

    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
