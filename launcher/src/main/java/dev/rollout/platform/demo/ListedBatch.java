package dev.rollout.platform.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agents of one batch as the simulated fleet reads its listing, kept stratum by stratum (a cluster's agents in
 * one time zone, as its gateway reports them), in arrays rather than an object per agent: each agent's id and seat as
 * the bytes its acknowledgement repeats, and the hash of its id ({@link String#hashCode()}), which draws whether it
 * answers, its latency and its errors. Read page by page from the listing's CSV (agent_id, cluster, region,
 * time_zone, seat; the simulator's ids, clusters and regions hold no comma), then {@link #join}ed in page order: the
 * strata by cluster, then time zone, each stratum's agents as listed.
 * <p>
 * A batch of 1,000,000 kept as records of strings was five objects an agent, read in another order than they were
 * made (by stratum, listed by rank): writing their lines as bytes instead of through a string was no faster, the time
 * went to reaching the objects, and the collector copied them from one batch to the next.
 */
final class ListedBatch {

    /** One stratum's agents: ids and seats back to back in one array, where each ends in another. */
    static final class Stratum {

        final String cluster;
        final String timeZone;
        private byte[] bytes = new byte[0];
        private int used;
        /** Agent k's id ends at {@code ends[2k]}, its seat at {@code ends[2k + 1]}. */
        private int[] ends = new int[0];
        private int[] hashes = new int[0];
        private int count;
        /** Agents, and their bytes, about to be added: counted first, so that the arrays are made to fit once. */
        private int pending;
        private int pendingBytes;

        Stratum(String cluster, String timeZone) {
            this.cluster = cluster;
            this.timeZone = timeZone;
        }

        int size() {
            return count;
        }

        int hash(int k) {
            return hashes[k];
        }

        String id(int k) {
            int from = k == 0 ? 0 : ends[2 * k - 1];
            return new String(bytes, from, ends[2 * k] - from, StandardCharsets.US_ASCII);
        }

        String seat(int k) {
            return new String(bytes, ends[2 * k], ends[2 * k + 1] - ends[2 * k], StandardCharsets.US_ASCII);
        }

        /** Appends agent k's id to {@code out}. */
        void idTo(int k, FleetSimulator.Ascii out) {
            int from = k == 0 ? 0 : ends[2 * k - 1];
            out.bytes(bytes, from, ends[2 * k] - from);
        }

        /** Appends agent k's seat to {@code out}. */
        void seatTo(int k, FleetSimulator.Ascii out) {
            out.bytes(bytes, ends[2 * k], ends[2 * k + 1] - ends[2 * k]);
        }

        /**
         * Room for {@code agents} more agents of {@code bytes} more bytes of ids and seats: the arrays grown once to
         * at least twice their size, so that a stratum filled agent by agent is copied a few times only.
         */
        private void room(int agents, int bytes) {
            if (used + bytes > this.bytes.length) {
                this.bytes = Arrays.copyOf(this.bytes, Math.max(2 * this.bytes.length, used + bytes));
            }
            if (count + agents > hashes.length) {
                hashes = Arrays.copyOf(hashes, Math.max(2 * hashes.length, count + agents));
                ends = Arrays.copyOf(ends, 2 * hashes.length);
            }
        }

        /** Room for the agents counted as pending, made once; none pending after. */
        private void fit() {
            room(pending, pendingBytes);
            pending = 0;
            pendingBytes = 0;
        }

        private void add(byte[] from, int idFrom, int idTo, int seatFrom, int seatTo, int hash) {
            room(1, (idTo - idFrom) + (seatTo - seatFrom));
            System.arraycopy(from, idFrom, bytes, used, idTo - idFrom);
            used += idTo - idFrom;
            ends[2 * count] = used;
            System.arraycopy(from, seatFrom, bytes, used, seatTo - seatFrom);
            used += seatTo - seatFrom;
            ends[2 * count + 1] = used;
            hashes[count++] = hash;
        }

        /** Appends agent k of {@code other}. */
        void add(Stratum other, int k) {
            int from = k == 0 ? 0 : other.ends[2 * k - 1];
            add(other.bytes, from, other.ends[2 * k], other.ends[2 * k], other.ends[2 * k + 1], other.hashes[k]);
        }

        /** Appends every agent of {@code other}, in its order. */
        private void addAll(Stratum other) {
            room(other.count, other.used);
            System.arraycopy(other.bytes, 0, bytes, used, other.used);
            for (int k = 0; k < 2 * other.count; k++) {
                ends[2 * count + k] = used + other.ends[k];
            }
            System.arraycopy(other.hashes, 0, hashes, count, other.count);
            used += other.used;
            count += other.count;
        }
    }

    private static final Comparator<Stratum> CLUSTER_THEN_ZONE = Comparator.<Stratum, String>comparing(s -> s.cluster)
            .thenComparing(s -> s.timeZone);

    private final Map<String, Map<String, Stratum>> byName = new HashMap<>();
    private final List<Stratum> strata = new ArrayList<>();
    private int size;

    static ListedBatch empty() {
        return new ListedBatch();
    }

    /** The strata, by cluster then time zone once joined (as read before). */
    List<Stratum> strata() {
        return strata;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The stratum of this cluster and time zone, made empty where there is none yet (kept in order by {@link #sort}). */
    Stratum stratum(String cluster, String timeZone) {
        return byName.computeIfAbsent(cluster, c -> new HashMap<>()).computeIfAbsent(timeZone, z -> {
            Stratum stratum = new Stratum(cluster, z);
            strata.add(stratum);
            return stratum;
        });
    }

    /** Agent k of {@code stratum} (of another batch), added to this one. */
    void add(Stratum stratum, int k) {
        stratum(stratum.cluster, stratum.timeZone).add(stratum, k);
        size++;
    }

    /** The agents of one time zone (their strata shared, not copied). */
    ListedBatch inZone(String timeZone) {
        ListedBatch zone = new ListedBatch();
        for (Stratum stratum : strata) {
            if (stratum.timeZone.equals(timeZone)) {
                zone.byName.computeIfAbsent(stratum.cluster, c -> new HashMap<>()).put(timeZone, stratum);
                zone.strata.add(stratum);
                zone.size += stratum.size();
            }
        }
        return zone;
    }

    /** Orders the strata by cluster, then time zone. */
    ListedBatch sort() {
        strata.sort(CLUSTER_THEN_ZONE);
        return this;
    }

    /** The pages' agents in one batch, in page order within each stratum; the strata in order. */
    static ListedBatch join(List<ListedBatch> pages) {
        ListedBatch all = new ListedBatch();
        // each stratum's room made once, for all its pages
        for (ListedBatch page : pages) {
            for (Stratum stratum : page.strata) {
                Stratum joined = all.stratum(stratum.cluster, stratum.timeZone);
                joined.pending += stratum.count;
                joined.pendingBytes += stratum.used;
            }
        }
        all.strata.forEach(Stratum::fit);
        for (ListedBatch page : pages) {
            for (Stratum stratum : page.strata) {
                all.stratum(stratum.cluster, stratum.timeZone).addAll(stratum);
            }
            all.size += page.size;
        }
        return all.sort();
    }

    /**
     * The agents of one page of a batch's listing, header first (its last line with or without a line break). Each
     * line's cluster and time zone are found among the page's strata by their bytes, without a string for either.
     */
    static ListedBatch page(byte[] text) {
        ListedBatch page = new ListedBatch();
        Names names = new Names(page);
        int at = indexOf(text, '\n', 0, text.length) + 1; // after the header
        if (at == 0) {
            return page;
        }
        // first each line's stratum and bounds, each byte read once; then each stratum made to fit, and filled
        int lines = 0;
        Stratum[] strata = new Stratum[text.length / 64 + 1];
        int[] bounds = new int[4 * strata.length];
        int[] hashes = new int[strata.length];
        while (at < text.length) {
            int cluster = indexOf(text, ',', at, text.length);
            int region = indexOf(text, ',', cluster + 1, text.length);
            int zone = indexOf(text, ',', region + 1, text.length);
            int seat = indexOf(text, ',', zone + 1, text.length);
            int end = indexOf(text, '\n', seat + 1, text.length);
            end = end < 0 ? text.length : end;
            int hash = 0;
            for (int i = at; i < cluster; i++) {
                hash = 31 * hash + (text[i] & 0xff);
            }
            if (lines == strata.length) {
                strata = Arrays.copyOf(strata, 2 * lines);
                bounds = Arrays.copyOf(bounds, 8 * lines);
                hashes = Arrays.copyOf(hashes, 2 * lines);
            }
            Stratum stratum = names.of(text, cluster + 1, region, zone + 1, seat);
            stratum.pending++;
            stratum.pendingBytes += (cluster - at) + (end - seat - 1);
            strata[lines] = stratum;
            bounds[4 * lines] = at;
            bounds[4 * lines + 1] = cluster;
            bounds[4 * lines + 2] = seat + 1;
            bounds[4 * lines + 3] = end;
            hashes[lines++] = hash;
            at = end + 1;
        }
        page.strata.forEach(Stratum::fit);
        for (int j = 0; j < lines; j++) {
            strata[j].add(text, bounds[4 * j], bounds[4 * j + 1], bounds[4 * j + 2], bounds[4 * j + 3], hashes[j]);
        }
        page.size = lines;
        return page;
    }

    private static int indexOf(byte[] text, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** A page's strata, found by the bytes of their cluster and time zone (a page names a few hundred at most). */
    private static final class Names {

        private final ListedBatch page;
        private final Stratum[] table = new Stratum[1024];
        private final byte[][] keys = new byte[1024][];

        Names(ListedBatch page) {
            this.page = page;
        }

        Stratum of(byte[] text, int clusterFrom, int clusterTo, int zoneFrom, int zoneTo) {
            int hash = 0;
            for (int i = clusterFrom; i < clusterTo; i++) {
                hash = 31 * hash + text[i];
            }
            for (int i = zoneFrom; i < zoneTo; i++) {
                hash = 31 * hash + text[i];
            }
            hash ^= hash >>> 16;
            int mask = table.length - 1;
            for (int slot = hash & mask, probes = 0; probes < table.length; slot = (slot + 1) & mask, probes++) {
                byte[] key = keys[slot];
                if (key == null) {
                    keys[slot] = key(text, clusterFrom, clusterTo, zoneFrom, zoneTo);
                    return table[slot] = page.stratum(ascii(text, clusterFrom, clusterTo), ascii(text, zoneFrom, zoneTo));
                }
                int clusterLength = clusterTo - clusterFrom;
                if (key.length == clusterLength + 1 + zoneTo - zoneFrom
                        && Arrays.equals(key, 0, clusterLength, text, clusterFrom, clusterTo)
                        && Arrays.equals(key, clusterLength + 1, key.length, text, zoneFrom, zoneTo)) {
                    return table[slot];
                }
            }
            // more strata on one page than the table holds: found by name
            return page.stratum(ascii(text, clusterFrom, clusterTo), ascii(text, zoneFrom, zoneTo));
        }

        /** A stratum's key: its cluster, a comma, its time zone. */
        private static byte[] key(byte[] text, int clusterFrom, int clusterTo, int zoneFrom, int zoneTo) {
            byte[] key = new byte[clusterTo - clusterFrom + 1 + zoneTo - zoneFrom];
            System.arraycopy(text, clusterFrom, key, 0, clusterTo - clusterFrom);
            key[clusterTo - clusterFrom] = ',';
            System.arraycopy(text, zoneFrom, key, clusterTo - clusterFrom + 1, zoneTo - zoneFrom);
            return key;
        }

        private static String ascii(byte[] text, int from, int to) {
            return new String(text, from, to - from, StandardCharsets.US_ASCII);
        }
    }
}
