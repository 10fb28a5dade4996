package dev.rollout.clusterbatcher.fleet;

import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts one agent into {@code fleet_import_stage}, for {@link FleetWriter#merge} to register or update it: the path of
 * a single registration. (An upload's known agents are copied into the stage by {@link BulkLoader}.)
 */
@Component
class Staging {

    private final JdbcTemplate jdbc;

    Staging(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void stage(UUID importId, long lineNo, AgentLine line) {
        jdbc.update("INSERT INTO fleet_import_stage (import_id, line_no, agent_id, cluster_id, region, tz_offset, labels)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", importId, lineNo, line.agentId(), line.clusterId(), line.region(),
                line.tzOffset(), line.labels());
    }
}
