package dev.rollout.clusterbatcher.batches;

import java.util.List;
import java.util.TreeSet;

/**
 * A batch's figures from its tally: rows of (latency ms, acknowledgements, failed, requests, errors, time zone)
 * in ascending latency. The percentiles are those of every acknowledgement's latency, interpolated as SQL's
 * {@code PERCENTILE_CONT} does, computed from the counts without the million values themselves.
 */
record Figures(long acks, long failed, long requests, long errors, Double mean, List<Integer> zones, List<long[]> tally) {

    static Figures of(List<long[]> tally) {
        long acks = 0;
        long failed = 0;
        long requests = 0;
        long errors = 0;
        double latencySum = 0;
        TreeSet<Integer> zones = new TreeSet<>();
        long previous = Long.MIN_VALUE;
        for (long[] row : tally) {
            if (row[0] < previous) {
                throw new IllegalArgumentException("the tally must be in ascending latency");
            }
            previous = row[0];
            acks += row[1];
            failed += row[2];
            requests += row[3];
            errors += row[4];
            latencySum += (double) row[0] * row[1];
            if (row[1] > 0) {
                zones.add((int) row[5]);
            }
        }
        return new Figures(acks, failed, requests, errors, acks == 0 ? null : latencySum / acks, List.copyOf(zones),
                tally);
    }

    /** The latency below which a share {@code p} of the acknowledgements lie (continuous), or null without any. */
    Double percentile(double p) {
        if (acks == 0) {
            return null;
        }
        double position = p * (acks - 1);
        long below = (long) Math.floor(position);
        double lower = valueAt(below);
        double upper = valueAt(Math.min(acks - 1, below + 1));
        return lower + (position - below) * (upper - lower);
    }

    /** The latency of the k-th acknowledgement (0-based) in ascending order. */
    private double valueAt(long k) {
        long seen = 0;
        for (long[] row : tally) {
            seen += row[1];
            if (k < seen) {
                return row[0];
            }
        }
        throw new IllegalStateException("position " + k + " beyond " + acks + " acknowledgements");
    }
}
