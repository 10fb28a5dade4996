package dev.rollout.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/**
 * {@code rollout rollback}: one call rolls a rollout back, fully or only the named components; a second call while
 * one runs answers that one. {@code --wait} follows its steps until it completes (exit 0) or a step fails (exit 1,
 * with the step and its error: resume it with the same command once the cause is fixed).
 */
@Command(name = "rollback", sortOptions = false, description = "Roll a rollout back, fully or some components.")
final class RollbackCommand implements Callable<Integer> {

    @ParentCommand
    Rollout root;

    @Parameters(index = "0", paramLabel = "ROLLOUT", description = "The rollout's id")
    UUID rollout;

    @Option(names = "--components", split = ",", paramLabel = "NAME", description = "Only these components (a partial rollback)")
    List<String> components = new ArrayList<>();

    @Option(names = "--reason", required = true, description = "Why: kept with the rollback and in the timeline")
    String reason;

    @Option(names = "--wait", description = "Follow the rollback's steps until it ends")
    boolean waitForIt;

    @Option(names = "--timeout", defaultValue = "PT30M", description = "ISO-8601 duration to wait at most (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        Api api = root.api();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("rolloutId", rollout.toString());
        request.put("scope", components.isEmpty() ? "FULL" : "PARTIAL");
        if (!components.isEmpty()) {
            request.put("components", components);
        }
        request.put("reason", reason);
        JsonNode started = api.postOnce("/api/rollbacks", request);
        JsonNode rollback = started.path("rollback");
        if (!root.json()) {
            root.out.println(started.path("message").asString() + " (" + rollback.path("scope").asString()
                    + (rollback.path("components").isEmpty() ? "" : " " + rollback.path("components").toString()) + ")");
        }
        if (!waitForIt) {
            if (root.json()) {
                root.printJson(started);
            }
            return Rollout.OK;
        }
        String id = rollback.path("id").asString();
        Instant deadline = Instant.now().plus(timeout);
        List<String> seen = new ArrayList<>();
        while (true) {
            rollback = api.get("/api/rollbacks/" + id);
            for (JsonNode step : rollback.path("steps")) {
                String line = "  " + step.path("name").asString() + " " + step.path("status").asString()
                        + (step.path("attempts").asInt() > 1 ? " (attempt " + step.path("attempts").asInt() + ")" : "")
                        + (step.path("error").isString() ? ": " + step.path("error").asString() : "");
                if (!seen.contains(line) && !step.path("status").asString().equals("PENDING")) {
                    seen.add(line);
                    if (!root.json()) {
                        root.out.println(line);
                        root.out.flush();
                    }
                }
            }
            String status = rollback.path("status").asString();
            if (status.equals("COMPLETED") || status.equals("FAILED_STEP")) {
                if (root.json()) {
                    root.printJson(rollback);
                }
                else {
                    root.out.println("rollback " + id + " " + status + (rollback.path("flippedAfterMs").isNumber()
                            ? ": agents flipped back after " + Figures.number(rollback.path("flippedAfterMs").asDouble() / 1000)
                                    + " s" : "") + (rollback.path("error").isString() ? ": " + rollback.path("error").asString() : ""));
                }
                return status.equals("COMPLETED") ? Rollout.OK : Rollout.ERROR;
            }
            if (Instant.now().isAfter(deadline)) {
                root.err.println("rollout: rollback " + id + " still " + status + " after " + Figures.duration(timeout));
                return Rollout.ERROR;
            }
            Thread.sleep(500);
        }
    }
}
