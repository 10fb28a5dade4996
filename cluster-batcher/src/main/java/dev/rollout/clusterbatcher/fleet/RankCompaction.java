package dev.rollout.clusterbatcher.fleet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Closes the holes of the strata that have some (ranks left vacant by agents that moved or were deregistered during
 * a rollout), so that a plan frozen next counts only agents that are there: the agents at the top of the stratum
 * take the vacant ranks below, lowest first; the other agents keep theirs. Touches only the strata whose hole count
 * is above zero, reading their ranks from the stratum index. Runs under the fleet lock, while no plan is open (an
 * open plan's batches are a function of the ranks).
 */
@Component
public class RankCompaction {

    private static final Logger log = LoggerFactory.getLogger(RankCompaction.class);

    private final JdbcTemplate jdbc;

    RankCompaction(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** What a compaction did: strata closed and agents given a lower rank. */
    public record Compacted(int strata, long moved) {
    }

    /** Closes every stratum's holes, if no plan is open; the caller holds the fleet lock. */
    public Compacted compactUnlessPlanOpen() {
        Integer open = jdbc.queryForObject("SELECT count(*) FROM batch_plan WHERE closed_at IS NULL", Integer.class);
        if (open != null && open > 0) {
            return new Compacted(0, 0);
        }
        List<Object[]> strata = jdbc.query("SELECT cluster_id, tz_offset FROM stratum WHERE holes > 0 ORDER BY cluster_id,"
                + " tz_offset", (rs, n) -> new Object[] { rs.getString(1), rs.getInt(2) });
        long moved = 0;
        for (Object[] stratum : strata) {
            moved += compact((String) stratum[0], (Integer) stratum[1]);
        }
        if (!strata.isEmpty()) {
            log.info("Closed the holes of {} strata: {} agents took a lower rank", strata.size(), moved);
        }
        return new Compacted(strata.size(), moved);
    }

    private long compact(String clusterId, int tzOffset) {
        long[] ranks = ranks(clusterId, tzOffset);
        int size = ranks.length;
        List<Object[]> moves = new ArrayList<>();
        // ranks are sorted: those below size fill [0, size) but for the holes; those from size up move into them
        int next = 0;
        int top = size;
        while (top > 0 && ranks[top - 1] >= size) {
            top--;
        }
        int mover = top;
        for (long rank = 0; rank < size && mover < size; rank++) {
            if (next < top && ranks[next] == rank) {
                next++;
            }
            else {
                moves.add(new Object[] { rank, ranks[mover++], clusterId, tzOffset });
            }
        }
        jdbc.batchUpdate("UPDATE agent SET stratum_rank = ? WHERE seat = " + SeatKey.OF_RANK_CLUSTER_ZONE, moves);
        jdbc.update("UPDATE stratum SET next_rank = ?, holes = 0 WHERE cluster_id = ? AND tz_offset = ?", size, clusterId,
                tzOffset);
        return moves.size();
    }

    /**
     * The ranks taken in a stratum, ascending: each seat of a rank below the stratum's next one looked up in the
     * stratum index (led by the rank, so a stratum's entries are not side by side in it; one scan of the seats instead
     * of a scan of the whole index).
     */
    private long[] ranks(String clusterId, int tzOffset) {
        long[][] ranks = { new long[1024] };
        int[] n = { 0 };
        jdbc.query("SELECT seat FROM agent WHERE seat = ANY (ARRAY(SELECT g * 16777216 + id FROM stratum,"
                + " generate_series(0, next_rank - 1) g WHERE cluster_id = ? AND tz_offset = ?)) ORDER BY seat", rs -> {
                    if (n[0] == ranks[0].length) {
                        ranks[0] = Arrays.copyOf(ranks[0], n[0] * 2);
                    }
                    ranks[0][n[0]++] = SeatKey.rank(rs.getLong(1));
                }, clusterId, tzOffset);
        return Arrays.copyOf(ranks[0], n[0]);
    }
}
