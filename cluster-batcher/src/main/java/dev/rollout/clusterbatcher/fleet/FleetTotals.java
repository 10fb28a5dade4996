package dev.rollout.clusterbatcher.fleet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Counts of the fleet by cluster and by hourly time zone, computed in the database. */
@Component
class FleetTotals {

    record Totals(long agents, long clusters, Map<String, Long> byCluster, Map<String, Long> byTimeZone,
            int timeZonesCovered) {
    }

    private final JdbcTemplate jdbc;

    FleetTotals(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    Totals compute() {
        Map<String, Long> byCluster = new TreeMap<>();
        Map<String, Long> byZone = new LinkedHashMap<>();
        for (int zone = TimeZones.FIRST; zone <= TimeZones.LAST; zone++) {
            byZone.put(TimeZones.label(zone), 0L);
        }
        // one pass over the agents, by stratum; both totals follow from it
        jdbc.query("SELECT cluster_id, tz_offset, count(*) FROM agent GROUP BY cluster_id, tz_offset", rs -> {
            byCluster.merge(rs.getString(1), rs.getLong(3), Long::sum);
            byZone.merge(TimeZones.label(rs.getInt(2)), rs.getLong(3), Long::sum);
        });
        long agents = byCluster.values().stream().mapToLong(Long::longValue).sum();
        Long clusters = jdbc.queryForObject("SELECT count(*) FROM cluster", Long.class);
        int covered = (int) byZone.values().stream().filter(n -> n > 0).count();
        return new Totals(agents, clusters == null ? 0 : clusters, byCluster, byZone, covered);
    }
}
