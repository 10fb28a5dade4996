package dev.rollout.clusterbatcher.agentapi;

import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Finds agents' places in the fleet by id: one by its key, or up to 10,000 ids in one query (one round trip). */
@Component
class AgentDirectory {

    record Place(String agentId, String clusterId, int tzOffset, long rank) {
    }

    private final JdbcTemplate jdbc;

    AgentDirectory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Map<String, Place> find(Collection<String> agentIds) {
        if (agentIds.size() == 1) { // an agent's own poll: a plain key lookup, no array to build and bind
            String id = agentIds.iterator().next();
            Map<String, Place> found = new HashMap<>(2);
            jdbc.query("SELECT cluster_id, tz_offset, stratum_rank FROM agent WHERE agent_id = ?",
                    rs -> {
                        found.put(id, new Place(id, rs.getString(1), rs.getInt(2), rs.getLong(3)));
                    }, id);
            return found;
        }
        Map<String, Place> found = new HashMap<>(agentIds.size() * 2);
        // in order: the server sorts the array for its index scan, and finds it sorted in one pass
        String[] sorted = agentIds.toArray(String[]::new);
        Arrays.sort(sorted);
        jdbc.query(c -> {
            PreparedStatement ps = c.prepareStatement("SELECT agent_id, cluster_id, tz_offset, stratum_rank"
                    + " FROM agent WHERE agent_id = ANY (?)");
            ps.setArray(1, c.createArrayOf("varchar", sorted));
            return ps;
        }, rs -> {
            found.put(rs.getString(1), new Place(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4)));
        });
        return found;
    }
}
