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
        int fields = header.equals(HEADER) ? 7 : 8;
        List<AckIngest.Ack> acks = new ArrayList<>(Math.min(max, body.length() / 48 + 1));
        // a gateway's call names one rollout (or a few): each parsed once
        Map<String, UUID> rollouts = new HashMap<>(4);
        for (int from = next(body, end); from < body.length(); from = next(body, end)) {
            end = lineEnd(body, from);
            String line = body.substring(from, end);
            if (line.isBlank()) {
                continue;
            }
            if (acks.size() == max) {
                throw ProblemException.badRequest("At most " + max + " acknowledgements per call");
            }
            acks.add(line(line, header, fields, rollouts));
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

    /** One line; an unreadable field yields an item that fails {@link AckIngest#malformed}. */
    private static AckIngest.Ack line(String line, String header, int fields, Map<String, UUID> rollouts) {
        // the commas found first, the fields cut out only when there are as many as the header names
        int count = 1;
        for (int at = line.indexOf(','); at >= 0; at = line.indexOf(',', at + 1)) {
            count++;
        }
        if (count != fields) {
            return AckIngest.Ack.unreadable("the line has " + count + (count == 1 ? " field" : " fields")
                    + " where the header names " + fields + ": " + header);
        }
        String[] f = new String[fields];
        for (int i = 0, from = 0; i < fields; i++) {
            int to = i == fields - 1 ? line.length() : line.indexOf(',', from);
            f[i] = line.substring(from, to);
            from = to + 1;
        }
        UUID rollout = rollouts.computeIfAbsent(f[1].strip(), AckCsv::uuid);
        AckIngest.Status status = "OK".equals(f[3].strip()) ? AckIngest.Status.OK
                : "FAILED".equals(f[3].strip()) ? AckIngest.Status.FAILED : null;
        return new AckIngest.Ack(f[0].strip(), rollout, f[2].strip(), status, number(f[4], -1), number(f[5], -1),
                number(f[6], -1), fields == 8 && !f[7].isBlank() ? f[7].strip() : null);
    }

    private static UUID uuid(String text) {
        try {
            return UUID.fromString(text);
        }
        catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int number(String value, int fallback) {
        try {
            return Integer.parseInt(value.strip());
        }
        catch (NumberFormatException e) {
            return fallback;
        }
    }
}
