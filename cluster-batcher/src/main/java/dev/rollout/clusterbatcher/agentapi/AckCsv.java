package dev.rollout.clusterbatcher.agentapi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.rollout.starter.web.ProblemException;

/**
 * The CSV form of acknowledgements: a header {@code agentId,rolloutId,version,status,latencyMs,requests,errors},
 * optionally followed by {@code ,seat} (the signed seat the agent was given), and one line each. A line that cannot be read becomes an item that {@link AckIngest} rejects by its index,
 * so one bad line never loses the others.
 */
final class AckCsv {

    static final String HEADER = "agentId,rolloutId,version,status,latencyMs,requests,errors";
    static final String HEADER_WITH_SEATS = HEADER + ",seat";

    private AckCsv() {
    }

    static List<AckIngest.Ack> parse(String body, int max) {
        int end = lineEnd(body, 0);
        String header = body.substring(0, end).strip();
        if (!header.equals(HEADER) && !header.equals(HEADER_WITH_SEATS)) {
            throw ProblemException.badRequest("The first line must be the header " + HEADER + " (or " + HEADER_WITH_SEATS
                    + ")");
        }
        List<AckIngest.Ack> acks = new ArrayList<>(Math.min(max, body.length() / 48 + 1));
        Fields fields = new Fields(body, header, header.equals(HEADER) ? 7 : 8);
        for (int from = next(body, end); from < body.length(); from = next(body, end)) {
            end = lineEnd(body, from);
            if (fields.blank(from, end)) {
                continue;
            }
            if (acks.size() == max) {
                throw ProblemException.badRequest("At most " + max + " acknowledgements per call");
            }
            acks.add(fields.line(from, end));
        }
        if (acks.isEmpty()) {
            throw ProblemException.badRequest("No acknowledgement after the header");
        }
        return acks;
    }

    /** Where the line that starts at {@code from} ends: before its line break ({@code \n} or {@code \r\n}). */
    private static int lineEnd(String body, int from) {
        int end = body.indexOf('\n', from);
        end = end < 0 ? body.length() : end;
        return end > from && body.charAt(end - 1) == '\r' ? end - 1 : end;
    }

    /** Where the line after the one that ends at {@code end} starts. */
    private static int next(String body, int end) {
        return end < body.length() && body.charAt(end) == '\r' ? end + 2 : end + 1;
    }

    /**
     * The lines of one body, read in place: each field found between its commas and stripped of white space by its
     * bounds, cut out only where it is kept (the agent, the seat). A gateway's call names one rollout and one version
     * (or a few) 10,000 times: a field that reads as the one before is that one again, parsed once.
     */
    private static final class Fields {

        private final String body;
        private final String header;
        private final int count;
        private final int[] from;
        private final int[] to;
        private final Map<String, UUID> rollouts = new HashMap<>(4);
        private String lastRollout;
        private UUID lastRolloutId;
        private String lastVersion;

        Fields(String body, String header, int count) {
            this.body = body;
            this.header = header;
            this.count = count;
            this.from = new int[count];
            this.to = new int[count];
        }

        boolean blank(int start, int end) {
            for (int i = start; i < end; i++) {
                if (!Character.isWhitespace(body.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        /** The line {@code [start, end)}; an unreadable field yields an item that fails {@link AckIngest#malformed}. */
        AckIngest.Ack line(int start, int end) {
            // the commas found first, the fields taken only when there are as many as the header names
            int found = 0;
            int at = start;
            while (true) {
                int comma = body.indexOf(',', at);
                int stop = comma < 0 || comma >= end ? end : comma;
                if (found < count) {
                    from[found] = at;
                    to[found] = stop;
                }
                found++;
                if (stop == end) {
                    break;
                }
                at = stop + 1;
            }
            if (found != count) {
                return AckIngest.Ack.unreadable("the line has " + found + (found == 1 ? " field" : " fields")
                        + " where the header names " + count + ": " + header);
            }
            for (int i = 0; i < count; i++) {
                while (from[i] < to[i] && Character.isWhitespace(body.charAt(from[i]))) {
                    from[i]++;
                }
                while (to[i] > from[i] && Character.isWhitespace(body.charAt(to[i] - 1))) {
                    to[i]--;
                }
            }
            AckIngest.Status status = is(3, "OK") ? AckIngest.Status.OK
                    : is(3, "FAILED") ? AckIngest.Status.FAILED : null;
            return new AckIngest.Ack(text(0), rollout(), version(), status, number(4), number(5), number(6),
                    count == 8 && from[7] < to[7] ? text(7) : null);
        }

        private boolean is(int field, String value) {
            return to[field] - from[field] == value.length() && body.startsWith(value, from[field]);
        }

        private String text(int field) {
            return body.substring(from[field], to[field]);
        }

        private UUID rollout() {
            if (lastRollout == null || !is(1, lastRollout)) {
                lastRollout = text(1);
                lastRolloutId = rollouts.computeIfAbsent(lastRollout, AckCsv::uuid);
            }
            return lastRolloutId;
        }

        private String version() {
            if (lastVersion == null || !is(2, lastVersion)) {
                lastVersion = text(2);
            }
            return lastVersion;
        }

        private int number(int field) {
            try {
                return Integer.parseInt(body, from[field], to[field], 10);
            }
            catch (NumberFormatException e) {
                return -1;
            }
        }
    }

    private static UUID uuid(String text) {
        try {
            return UUID.fromString(text);
        }
        catch (IllegalArgumentException e) {
            return null;
        }
    }
}
