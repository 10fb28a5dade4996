package dev.rollout.metricsgate.features;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import dev.rollout.starter.web.ProblemException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Phase 4's user types: which features each must reach, and the latest check of each (user type, feature),
 * pushed by whoever exercises them (synthetic checks in CI, monitoring, support).
 */
@Component
public class UserTypes {

    /** One check as sent. */
    public record Check(String userType, String feature, boolean reached, String detail) {
    }

    /** The latest check of a (user type, feature), or none yet. */
    public record Latest(String userType, String feature, Boolean reached, String detail, Instant checkedAt) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    UserTypes(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Replaces the user types of a rollout with these (user type to features). */
    @Transactional
    public Map<String, List<String>> declare(UUID rolloutId, Map<String, List<String>> features) {
        jdbc.update("DELETE FROM user_type_feature WHERE rollout_id = ?", rolloutId);
        List<Object[]> rows = new ArrayList<>();
        features.forEach((type, names) -> new TreeSet<>(names).forEach(f -> rows.add(new Object[] { rolloutId, type, f })));
        jdbc.batchUpdate("INSERT INTO user_type_feature (rollout_id, user_type, feature) VALUES (?, ?, ?)", rows);
        return declared(rolloutId);
    }

    public Map<String, List<String>> declared(UUID rolloutId) {
        Map<String, List<String>> out = new TreeMap<>();
        jdbc.query("SELECT user_type, feature FROM user_type_feature WHERE rollout_id = ? ORDER BY user_type, feature",
                rs -> {
                    out.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(rs.getString(2));
                }, rolloutId);
        return out;
    }

    /** Records checks, all or none: a check of an undeclared (user type, feature) is refused by its index. */
    @Transactional
    public int record(UUID rolloutId, List<Check> checks, String actor) {
        Map<String, List<String>> declared = declared(rolloutId);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            Check c = checks.get(i);
            if (!declared.getOrDefault(c.userType(), List.of()).contains(c.feature())) {
                problems.add("checks[" + i + "]: " + c.userType() + " / " + c.feature() + " is not a declared user type and feature"
                        + (declared.isEmpty() ? " (the rollout declares none)" : " (declared: " + declared + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw ProblemException.unprocessable(String.join("; ", problems)).with("violations", problems);
        }
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.batchUpdate("INSERT INTO feature_check (rollout_id, user_type, feature, reached, detail, checked_by, checked_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", checks.stream().map(c -> new Object[] { rolloutId, c.userType(),
                        c.feature(), c.reached(), c.detail(), actor, now }).toList());
        return checks.size();
    }

    /** Every declared (user type, feature) with its latest check. */
    public Map<String, List<Latest>> latest(UUID rolloutId) {
        Map<String, List<Latest>> out = new LinkedHashMap<>();
        jdbc.query("SELECT f.user_type, f.feature, c.reached, c.detail, c.checked_at FROM user_type_feature f"
                + " LEFT JOIN feature_check c ON c.id = (SELECT max(id) FROM feature_check l WHERE l.rollout_id = f.rollout_id"
                + " AND l.user_type = f.user_type AND l.feature = f.feature) WHERE f.rollout_id = ?"
                + " ORDER BY f.user_type, f.feature", rs -> {
                    boolean checked = rs.getTimestamp(5) != null;
                    out.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(new Latest(rs.getString(1),
                            rs.getString(2), checked ? rs.getBoolean(3) : null, rs.getString(4),
                            checked ? rs.getTimestamp(5).toInstant() : null));
                }, rolloutId);
        return out;
    }
}
