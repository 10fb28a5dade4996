package dev.rollout.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code rollout status}: one rollout where it stands, or the list of rollouts. */
@Command(name = "status", description = "Where a rollout stands (phase, batch, last verdict), or every rollout.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    Rollout root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ROLLOUT", description = "The rollout's id; none: list them")
    UUID rollout;

    @Option(names = "--status", description = "List only the rollouts in this status (PAUSED, EXPANSION, ...)")
    String status;

    @Override
    public Integer call() {
        Api api = root.api();
        if (rollout == null) {
            JsonNode page = api.get("/api/rollouts?size=200" + (status == null ? "" : "&status=" + status.toUpperCase()));
            if (root.json()) {
                root.printJson(page);
                return Rollout.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("ROLLOUT", "NAME", "VERSION", "STATUS", "BATCH", "LAST VERDICT", "SINCE"));
            for (JsonNode r : page.path("items")) {
                rows.add(List.of(r.path("id").asString(), r.path("name").asString(), r.path("targetVersion").asString(),
                        r.path("status").asString(), batch(r), verdict(r.path("lastEvaluation")),
                        Figures.time(r.path("statusSince").asString(null))));
            }
            Table.print(root.out, rows);
            return Rollout.OK;
        }
        JsonNode r = api.get("/api/rollouts/" + rollout);
        if (root.json()) {
            root.printJson(r);
            return Rollout.OK;
        }
        root.out.println(line(r));
        root.out.println("  since      " + Figures.time(r.path("statusSince").asString(null)) + " ("
                + ago(r.path("statusSince").asString(null)) + " ago)");
        if (!r.path("statusReason").asString("").isEmpty()) {
            root.out.println("  reason     " + r.path("statusReason").asString());
        }
        List<String> components = new ArrayList<>();
        r.path("components").forEach(c -> components.add(c.path("name").asString() + " " + c.path("version").asString()));
        root.out.println("  components " + String.join(", ", components) + " (from " + r.path("previousStableVersion").asString()
                + ")");
        JsonNode last = r.path("lastEvaluation");
        if (last.isObject()) {
            root.out.println("  last gate  " + verdict(last) + " at " + Figures.time(last.path("evaluatedAt").asString(null)));
            last.path("reasons").forEach(reason -> root.out.println("             - " + reason.asString()));
        }
        for (JsonNode condition : r.path("conditions")) {
            if (!condition.path("status").asBoolean(true)) {
                root.out.println("  condition  " + condition.path("type").asString() + " false: "
                        + condition.path("message").asString(condition.path("reason").asString("")));
            }
        }
        return Rollout.OK;
    }

    /** "1f2e... 'assistant 2.4' 2.4.0: EXPANSION, batch 3 of 20" */
    static String line(JsonNode r) {
        String status = r.path("status").asString();
        String where = status;
        if (status.equals("EXPANSION") || (status.equals("PAUSED") && r.path("phase").asString("").equals("EXPANSION"))) {
            where += ", batch " + batch(r);
        }
        if (status.equals("PAUSED")) {
            where += " in " + r.path("phase").asString("?") + (r.path("pauseReason").isString()
                    ? " (" + r.path("pauseReason").asString() + ")" : "");
        }
        return r.path("id").asString() + " '" + r.path("name").asString() + "' " + r.path("targetVersion").asString()
                + ": " + where;
    }

    static String batch(JsonNode r) {
        int batches = r.path("batches").asInt(0);
        return batches == 0 ? "-" : r.path("batch").asInt() + " of " + batches;
    }

    static String verdict(JsonNode evaluation) {
        if (!evaluation.isObject()) {
            return "-";
        }
        String scope = evaluation.path("scope").asString("");
        return evaluation.path("verdict").asString() + " (" + evaluation.path("phase").asString()
                + (evaluation.path("batch").isNumber() ? " batch " + evaluation.path("batch").asInt() : "")
                + (scope.isEmpty() || scope.equals("null") ? "" : ", " + scope) + ")";
    }

    static String ago(String instant) {
        if (instant == null) {
            return "-";
        }
        return Figures.duration(Duration.between(Instant.parse(instant), Instant.now()));
    }
}
