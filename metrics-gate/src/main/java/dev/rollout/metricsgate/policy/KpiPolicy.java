package dev.rollout.metricsgate.policy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.rollout.starter.web.ProblemException;

/** The thresholds in force for a rollout: the plan's defaults, with the rollout's validated overrides. */
public final class KpiPolicy {

    private final Map<Threshold, Double> values;
    private final Map<String, Double> overrides;

    private KpiPolicy(Map<Threshold, Double> values, Map<String, Double> overrides) {
        this.values = values;
        this.overrides = overrides;
    }

    public static KpiPolicy defaults() {
        return withOverrides(Map.of());
    }

    /**
     * The defaults with {@code overrides} (by key) applied. An unknown key or a value outside its range is
     * a 422 that names it; nothing is applied then.
     */
    public static KpiPolicy withOverrides(Map<String, Double> overrides) {
        List<String> problems = new ArrayList<>();
        Map<Threshold, Double> values = new EnumMap<>(Threshold.class);
        for (Threshold t : Threshold.values()) {
            values.put(t, t.defaultValue());
        }
        overrides.forEach((key, value) -> {
            Threshold t = Threshold.byKey(key).orElse(null);
            if (t == null) {
                problems.add("'" + key + "' is not a threshold of the gate");
            }
            else if (value == null || value.isNaN() || value < t.min() || value > t.max()) {
                problems.add(key + " = " + value + " is outside its range " + t.min() + " to " + t.max()
                        + " (" + t.meaning() + ")");
            }
            else {
                values.put(t, value);
            }
        });
        if (!problems.isEmpty()) {
            throw ProblemException.unprocessable(String.join("; ", problems)).with("violations", problems);
        }
        return new KpiPolicy(values, Map.copyOf(overrides));
    }

    public double get(Threshold threshold) {
        return values.get(threshold);
    }

    public Map<String, Double> overrides() {
        return overrides;
    }

    /** Every threshold by key, as served and stored with each evaluation. */
    public Map<String, Double> asMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        values.forEach((t, v) -> map.put(t.key(), v));
        return map;
    }
}
