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
 * {@code rollout gate}: evaluates a phase's gate now and exits with its verdict (0 PASS, 2 HOLD, 3 ROLLBACK), every
 * measurement printed with its figures. {@code --wait} evaluates again while the verdict is HOLD (evidence still
 * arriving, a soak not yet done), until it is PASS or ROLLBACK or the time is up.
 */
@Command(name = "gate", sortOptions = false, description = "Evaluate a phase's gate; exit 0 PASS, 2 HOLD, 3 ROLLBACK.")
final class GateCommand implements Callable<Integer> {

    @ParentCommand
    Rollout root;

    @Parameters(index = "0", paramLabel = "ROLLOUT", description = "The rollout's id")
    UUID rollout;

    @Option(names = "--phase", required = true, description = "DEVELOPMENT, PILOT, EXPANSION or PRODUCTION")
    String phase;

    @Option(names = "--batch", description = "The batch of the expansion to judge")
    Integer batch;

    @Option(names = "--wait", description = "While HOLD, evaluate again every --every until --timeout")
    boolean waitForDecision;

    @Option(names = "--every", defaultValue = "PT15S", description = "ISO-8601 duration between evaluations (default ${DEFAULT-VALUE})")
    Duration every;

    @Option(names = "--timeout", defaultValue = "PT30M", description = "ISO-8601 duration to wait at most (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        Api api = root.api();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("phase", phase.toUpperCase());
        if (batch != null) {
            request.put("batch", batch);
        }
        Instant deadline = Instant.now().plus(timeout);
        int round = 1;
        while (true) {
            JsonNode evaluation = api.post("/api/rollouts/" + rollout + "/evaluations", request);
            String verdict = evaluation.path("verdict").asString();
            boolean again = waitForDecision && verdict.equals("HOLD") && Instant.now().plus(every).isBefore(deadline);
            if (again) {
                root.err.println("HOLD (evaluation " + round + "): " + String.join("; ", reasons(evaluation))
                        + "; evaluating again in " + Figures.duration(every));
                Thread.sleep(every.toMillis());
                round++;
                continue;
            }
            print(evaluation);
            return switch (verdict) {
                case "PASS" -> Rollout.OK;
                case "HOLD" -> Rollout.HOLD;
                case "ROLLBACK" -> Rollout.ROLLBACK;
                default -> throw new IllegalStateException("the gate answered an unknown verdict: " + verdict);
            };
        }
    }

    private void print(JsonNode evaluation) {
        if (root.json()) {
            root.printJson(evaluation);
            return;
        }
        String scope = evaluation.path("scope").asString("");
        root.out.println(evaluation.path("verdict").asString() + ": " + evaluation.path("phase").asString()
                + (evaluation.path("batch").isNumber() ? " batch " + evaluation.path("batch").asInt() : "")
                + " gate of rollout " + evaluation.path("rolloutId").asString()
                + (scope.isEmpty() || scope.equals("null") ? "" : ", scope " + scope
                        + (evaluation.path("components").isEmpty() ? "" : " " + join(evaluation.path("components"))))
                + " (evaluation " + evaluation.path("id").asString() + ", " + Figures.time(evaluation.path("evaluatedAt")
                        .asString(null)) + ")");
        for (String reason : reasons(evaluation)) {
            root.out.println("  - " + reason);
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("KPI", "VERDICT", "VALUE", "N", "THRESHOLD", "SOURCE", "COMPONENTS", "REASON"));
        for (JsonNode m : evaluation.path("measurements")) {
            rows.add(List.of(m.path("kpi").asString(), m.path("verdict").asString(), value(m),
                    m.path("sampleSize").isNumber() ? Figures.number(m.path("sampleSize").asDouble()) : "-",
                    m.path("threshold").asString("-"), m.path("source").asString("-"),
                    m.path("components").isEmpty() ? "all" : join(m.path("components")), m.path("reason").asString("")));
        }
        if (rows.size() > 1) {
            root.out.println();
            Table.print(root.out, rows);
        }
    }

    static String value(JsonNode measurement) {
        JsonNode value = measurement.path("value");
        if (!value.isNumber()) {
            return "-";
        }
        String kpi = measurement.path("kpi").asString();
        String shown = Figures.kpi(kpi, value.asDouble());
        if (measurement.path("confidenceLow").isNumber() && measurement.path("confidenceHigh").isNumber()) {
            shown += " [" + Figures.kpi(kpi, measurement.path("confidenceLow").asDouble()) + ", "
                    + Figures.kpi(kpi, measurement.path("confidenceHigh").asDouble()) + "]";
        }
        return shown;
    }

    static List<String> reasons(JsonNode evaluation) {
        List<String> reasons = new ArrayList<>();
        evaluation.path("reasons").forEach(r -> reasons.add(r.asString()));
        return reasons;
    }

    private static String join(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(i -> items.add(i.asString()));
        return String.join(",", items);
    }
}
