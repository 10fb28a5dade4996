package dev.rollout.metricsgate.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.rollout.metricsgate.features.UserTypes;

/** Phase 4: every user type reaches the features meant for it, one measurement per user type. */
final class UserTypeCriteria {

    static final String SOURCE = "feature checks";

    private UserTypeCriteria() {
    }

    static List<Measurement> measure(Map<String, List<UserTypes.Latest>> latest) {
        if (latest.isEmpty()) {
            return List.of(Measurement.inconclusive(Kpi.USER_TYPE_FEATURES, SOURCE, "GET /api/rollouts/{id}/user-types",
                    "every user type reaches its features", "no user types declared: the plan names none, so none was checked"));
        }
        List<Measurement> out = new ArrayList<>();
        latest.forEach((type, features) -> {
            List<String> missing = features.stream().filter(f -> f.reached() == null).map(UserTypes.Latest::feature).toList();
            List<String> failed = features.stream().filter(f -> Boolean.FALSE.equals(f.reached()))
                    .map(f -> f.feature() + (f.detail() == null ? "" : " (" + f.detail() + ")")).toList();
            long reached = features.stream().filter(f -> Boolean.TRUE.equals(f.reached())).count();
            Verdict verdict = !failed.isEmpty() ? Verdict.FAIL : !missing.isEmpty() ? Verdict.INCONCLUSIVE : Verdict.PASS;
            String reason = type + " reaches " + reached + " of " + features.size() + " features"
                    + (failed.isEmpty() ? "" : "; not reached: " + String.join(", ", failed))
                    + (missing.isEmpty() ? "" : "; not checked yet: " + String.join(", ", missing));
            out.add(new Measurement(Kpi.USER_TYPE_FEATURES, false, SOURCE, "latest check of each feature of " + type,
                    (double) reached, (long) features.size(), "every feature of " + type + " reached", null, null, verdict,
                    reason, List.of(), Map.of("userType", type, "missing", missing, "failed", failed)));
        });
        return out;
    }
}
