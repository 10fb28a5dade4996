package dev.rollout.phaseengine.report;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.rollout.phaseengine.notification.EventType;
import dev.rollout.phaseengine.notification.Outbox;
import dev.rollout.phaseengine.rollout.Rollout;
import dev.rollout.phaseengine.rollout.RolloutStatus;
import dev.rollout.phaseengine.rollout.Rollouts;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reports on schedule, by the platform's clock: every 24 hours a daily stand-up per running rollout, every 7
 * days a weekly update; each kept and sent to the subscribers (DAILY_STANDUP, WEEKLY_UPDATE) with its Markdown.
 * Run by the replica that leads the reconcile loop, so each report goes out once.
 */
@Component
public class ReportSchedule {

    private static final List<RolloutStatus> RUNNING = List.of(RolloutStatus.DEVELOPMENT, RolloutStatus.PILOT,
            RolloutStatus.EXPANSION, RolloutStatus.PRODUCTION, RolloutStatus.PAUSED, RolloutStatus.ROLLING_BACK,
            RolloutStatus.PARTIALLY_ROLLED_BACK);

    private final Reports reports;
    private final Rollouts rollouts;
    private final Outbox outbox;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;

    ReportSchedule(Reports reports, Rollouts rollouts, Outbox outbox, JdbcTemplate jdbc, PlatformTransactionManager transactions,
            JsonMapper json, Clock clock) {
        this.reports = reports;
        this.rollouts = rollouts;
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.json = json;
        this.clock = clock;
    }

    /** Generates what is due; the number of reports it generated. */
    public int run() {
        Instant now = clock.instant();
        int generated = 0;
        for (UUID id : rollouts.findIdsByStatusIn(RUNNING)) {
            Rollout rollout = rollouts.findById(id).orElseThrow();
            Instant last = lastEnd("DAILY", id);
            if (!now.isBefore((last != null ? last : rollout.createdAt()).plus(Duration.ofHours(24)))) {
                Reports.Daily daily = reports.daily(id);
                store("DAILY", id, now, daily, Markdown.daily(daily), EventType.DAILY_STANDUP);
                generated++;
            }
        }
        Instant lastWeekly = lastEnd("WEEKLY", null);
        Instant first = jdbc.queryForObject("SELECT min(created_at) FROM rollout", Timestamp.class) == null ? null
                : jdbc.queryForObject("SELECT min(created_at) FROM rollout", Timestamp.class).toInstant();
        Instant base = lastWeekly != null ? lastWeekly : first;
        if (base != null && !now.isBefore(base.plus(Duration.ofDays(7)))) {
            Reports.Weekly weekly = reports.weekly();
            store("WEEKLY", null, now, weekly, Markdown.weekly(weekly), EventType.WEEKLY_UPDATE);
            generated++;
        }
        return generated;
    }

    private Instant lastEnd(String kind, UUID rolloutId) {
        Timestamp last = rolloutId == null
                ? jdbc.queryForObject("SELECT max(period_end) FROM report WHERE kind = ?", Timestamp.class, kind)
                : jdbc.queryForObject("SELECT max(period_end) FROM report WHERE kind = ? AND rollout_id = ?", Timestamp.class,
                        kind, rolloutId);
        return last == null ? null : last.toInstant();
    }

    private void store(String kind, UUID rolloutId, Instant now, Object report, String markdown, EventType type) {
        tx.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO report (kind, rollout_id, period_end, body, generated_at) VALUES (?, ?, ?, ?, ?)", kind,
                    rolloutId, Timestamp.from(now), json.writeValueAsString(report), Timestamp.from(now));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("markdown", markdown);
            details.put("report", report);
            outbox.publish(type, rolloutId, now, details);
        });
    }
}
