package dev.rollout.clusterbatcher.agentapi;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.rollout.clusterbatcher.system.DatabaseKind;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Finds agents' places in the fleet by id, a thousand ids per query. */
@Component
class AgentDirectory {

    record Place(String agentId, String clusterId, int tzOffset, long rank) {
    }

    private static final int CHUNK = 1000;

    private final JdbcTemplate jdbc;
    private final boolean postgres;

    AgentDirectory(JdbcTemplate jdbc, DatabaseKind database) {
        this.jdbc = jdbc;
        this.postgres = database.postgres();
    }

    Map<String, Place> find(Collection<String> agentIds) {
        Map<String, Place> found = new HashMap<>(agentIds.size() * 2);
        if (postgres) {
            // one round trip for up to 10,000 ids
            jdbc.query(c -> {
                java.sql.PreparedStatement ps = c.prepareStatement("SELECT agent_id, cluster_id, tz_offset, stratum_rank"
                        + " FROM agent WHERE agent_id = ANY (?)");
                ps.setArray(1, c.createArrayOf("varchar", agentIds.toArray()));
                return ps;
            }, rs -> {
                found.put(rs.getString(1), new Place(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4)));
            });
            return found;
        }
        List<String> ids = List.copyOf(agentIds);
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            jdbc.query("SELECT agent_id, cluster_id, tz_offset, stratum_rank FROM agent WHERE agent_id IN (" + marks + ")",
                    rs -> {
                        found.put(rs.getString(1), new Place(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4)));
                    }, chunk.toArray());
        }
        return found;
    }
}
