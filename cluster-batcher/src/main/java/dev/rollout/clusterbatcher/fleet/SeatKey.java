package dev.rollout.clusterbatcher.fleet;

/**
 * An agent's seat as one integer, as the column {@code agent.seat} holds it: {@code rank * 2^24 + stratum id}. Led by
 * the rank, as the stratum index is, so that a batch's agents, ordered by rank, lie side by side in it.
 */
public final class SeatKey {

    /** Bits of a stratum's number: strata are numbered 1 to 16,777,215. */
    public static final int STRATUM_BITS = 24;

    /**
     * The seat of rank {@code ?} in the stratum of cluster {@code ?} and zone {@code ?}, in SQL (three parameters, in
     * that order), for a statement to find the agent in the stratum index.
     */
    public static final String OF_RANK_CLUSTER_ZONE = "(? * 16777216 + (SELECT id FROM stratum WHERE cluster_id = ?"
            + " AND tz_offset = ?))";

    private SeatKey() {
    }

    public static long of(long rank, int stratumId) {
        return (rank << STRATUM_BITS) | stratumId;
    }

    public static long rank(long seat) {
        return seat >>> STRATUM_BITS;
    }
}
