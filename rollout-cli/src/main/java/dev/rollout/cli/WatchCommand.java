package dev.rollout.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/**
 * {@code rollout watch}: a line each time the rollout moves (phase, batch, pause, rollback), with a progress bar
 * through the expansion's batches, until it ends: exit 0 COMPLETED, 3 rolled back, 1 aborted. With {@code -o json},
 * one JSON line per change.
 */
@Command(name = "watch", sortOptions = false, description = "Follow a rollout until it ends; exit 0 COMPLETED, "
        + "3 rolled back, 1 aborted.")
final class WatchCommand implements Callable<Integer> {

    /** Where a rollout ends; a partial rollback is not an end: the rollout goes on once its fix is re-deployed. */
    static final Set<String> ENDED = Set.of("COMPLETED", "ROLLED_BACK", "ABORTED");

    @ParentCommand
    Rollout root;

    @Parameters(index = "0", paramLabel = "ROLLOUT", description = "The rollout's id")
    UUID rollout;

    @Option(names = "--every", defaultValue = "PT2S", description = "ISO-8601 duration between looks (default ${DEFAULT-VALUE})")
    Duration every;

    @Option(names = "--timeout", defaultValue = "P7D", description = "ISO-8601 duration to watch at most (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--until", description = "Stop (exit 0) once the rollout reaches this status as well, e.g. EXPANSION")
    String until;

    @Override
    public Integer call() throws InterruptedException {
        Api api = root.api();
        Instant deadline = Instant.now().plus(timeout);
        String last = null;
        while (true) {
            JsonNode r = api.get("/api/rollouts/" + rollout);
            String status = r.path("status").asString();
            String key = status + "|" + r.path("phase").asString("") + "|" + r.path("batch").asInt() + "|"
                    + r.path("pauseReason").asString("") + "|" + r.path("statusReason").asString("");
            if (!key.equals(last)) {
                last = key;
                if (root.json()) {
                    root.out.println(Api.JSON.writeValueAsString(r));
                }
                else {
                    root.out.println(line(r, root.terminal));
                }
                root.out.flush();
            }
            if (ENDED.contains(status)) {
                return switch (status) {
                    case "COMPLETED" -> Rollout.OK;
                    case "ABORTED" -> Rollout.ERROR;
                    default -> Rollout.ROLLBACK;
                };
            }
            if (until != null && status.equalsIgnoreCase(until)) {
                return Rollout.OK;
            }
            if (Instant.now().plus(every).isAfter(deadline)) {
                root.err.println("rollout: still " + status + " after " + Figures.duration(timeout));
                return Rollout.ERROR;
            }
            Thread.sleep(every.toMillis());
        }
    }

    /** "00:27 UTC  EXPANSION  batch 3 of 20 [######----------]  reason" */
    static String line(JsonNode r, boolean bar) {
        String time = Figures.time(r.path("updatedAt").asString(r.path("statusSince").asString(null)));
        StringBuilder line = new StringBuilder(time.length() > 10 ? time.substring(11) : time).append("  ")
                .append(String.format("%-22s", r.path("status").asString()));
        int batches = r.path("batches").asInt(0);
        String phase = r.path("phase").asString("");
        if (batches > 0 && (phase.equals("EXPANSION") || r.path("status").asString().equals("EXPANSION"))) {
            int batch = r.path("batch").asInt();
            line.append(String.format("batch %d of %d", batch, batches));
            if (bar) {
                line.append(' ').append(Figures.bar(batch, batches, 20));
            }
        }
        else if (r.path("status").asString().equals("PAUSED")) {
            line.append("in ").append(phase);
        }
        if (r.path("pauseReason").isString()) {
            line.append("  ").append(r.path("pauseReason").asString());
        }
        JsonNode gate = r.path("lastEvaluation");
        String reason = r.path("statusReason").asString("");
        if (r.path("status").asString().equals("EXPANSION") && r.path("batch").asInt() > 1 && gate.isObject()) {
            // a new batch: what let it start, rather than the reason the expansion began
            reason = "last gate " + StatusCommand.verdict(gate);
        }
        if (!reason.isEmpty()) {
            line.append("  ").append(reason);
        }
        return line.toString().stripTrailing();
    }
}
