package dev.rollout.clusterbatcher.agentapi;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.rollout.starter.web.ProblemException;

/**
 * The CSV form of acknowledgements: a header {@code agentId,rolloutId,version,status,latencyMs,requests,errors}
 * and one line each. A line that cannot be read becomes an item that {@link AckIngest} rejects by its index,
 * so one bad line never loses the others.
 */
final class AckCsv {

    static final String HEADER = "agentId,rolloutId,version,status,latencyMs,requests,errors";

    private AckCsv() {
    }

    static List<AckIngest.Ack> parse(String body, int max) {
        String[] lines = body.split("\r?\n");
        if (lines.length == 0 || !lines[0].strip().equals(HEADER)) {
            throw ProblemException.badRequest("The first line must be the header " + HEADER);
        }
        List<AckIngest.Ack> acks = new ArrayList<>(lines.length);
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            if (acks.size() == max) {
                throw ProblemException.badRequest("At most " + max + " acknowledgements per call");
            }
            acks.add(line(lines[i]));
        }
        if (acks.isEmpty()) {
            throw ProblemException.badRequest("No acknowledgement after the header");
        }
        return acks;
    }

    /** One line; an unreadable field yields an item that fails {@link AckIngest#malformed}. */
    private static AckIngest.Ack line(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 7) {
            return new AckIngest.Ack(null, null, null, null, -1, 0, 0);
        }
        UUID rollout;
        try {
            rollout = UUID.fromString(f[1].strip());
        }
        catch (IllegalArgumentException e) {
            rollout = null;
        }
        AckIngest.Status status = "OK".equals(f[3].strip()) ? AckIngest.Status.OK
                : "FAILED".equals(f[3].strip()) ? AckIngest.Status.FAILED : null;
        return new AckIngest.Ack(f[0].strip(), rollout, f[2].strip(), status, number(f[4], -1), number(f[5], -1),
                number(f[6], -1));
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
