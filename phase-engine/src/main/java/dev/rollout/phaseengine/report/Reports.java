package dev.rollout.phaseengine.report;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.rollout.phaseengine.client.MetricsGateClient.Evaluation;
import dev.rollout.phaseengine.client.MetricsGateClient.FullEvaluation;
import dev.rollout.phaseengine.client.MetricsGateClient.Incident;
import dev.rollout.phaseengine.client.MetricsGateClient;
import dev.rollout.phaseengine.client.RollbackServiceClient.RollbackView;
import dev.rollout.phaseengine.client.RollbackServiceClient.RootCause;
import dev.rollout.phaseengine.rollout.Rollout;
import dev.rollout.phaseengine.rollout.RolloutPlan;
import dev.rollout.phaseengine.rollout.RolloutRequests.TimelineEntry;
import dev.rollout.phaseengine.rollout.RolloutStatus;
import dev.rollout.phaseengine.rollout.Rollouts;
import dev.rollout.phaseengine.rollout.Timeline;
import dev.rollout.starter.client.Read;
import dev.rollout.starter.web.ProblemException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The plan's reports from the rollouts' real records: the daily stand-up of a rollout (its last 24 hours), the
 * weekly stakeholder update (every rollout, the last 7 days) and the post-rollout review (each phase against
 * its plan with the gate's figures, the batches, the rollbacks and their causes, and the lessons a person
 * writes). Each also as Markdown.
 */
@Component
public class Reports {

    public record Daily(UUID rolloutId, String name, String targetVersion, Instant from, Instant to, RolloutStatus status,
            RolloutStatus phase, int batch, int batches, List<TimelineEntry> transitions, List<Integer> batchesActivated,
            List<Evaluation> verdicts, List<Incident> incidents, List<String> next, List<String> unavailable) {
    }

    public record WeeklyLine(UUID id, String name, String targetVersion, RolloutStatus status, RolloutStatus phase, int batch,
            int batches, long transitions, long rollbacks) {
    }

    public record Weekly(Instant from, Instant to, Map<RolloutStatus, Long> byStatus, List<WeeklyLine> rollouts) {
    }

    public record PhaseReview(RolloutStatus phase, Instant startedAt, Instant endedAt, Duration duration, Duration minSoak,
            Duration maxSoak, String againstPlan, FullEvaluation gate) {
    }

    public record Lessons(String lessonsLearned, String bestPractices, String processImprovements, String editedBy,
            Instant editedAt) {
    }

    /**
     * A batch's story, oldest first: each verdict of the gate on it ("ROLLBACK (PARTIAL: planner)") and each
     * transition of the rollout in it (rollback started and finished, fix, continue), with when and why.
     */
    public record BatchHistory(int batch, String outcome, List<BatchEvent> events) {
    }

    public record BatchEvent(Instant at, String what, String detail) {
    }

    public record Review(UUID rolloutId, String name, String targetVersion, RolloutStatus outcome, Instant startedAt,
            Instant endedAt, List<PhaseReview> phases, List<FullEvaluation> batches, List<BatchHistory> batchHistory,
            List<RollbackView> rollbacks, List<RootCause> rootCauses, List<TimelineEntry> timeline, Lessons lessons,
            List<String> unavailable) {
    }

    private final Rollouts rollouts;
    private final Timeline timeline;
    private final ReportSources sources;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    Reports(Rollouts rollouts, Timeline timeline, ReportSources sources, JdbcTemplate jdbc, Clock clock) {
        this.rollouts = rollouts;
        this.timeline = timeline;
        this.sources = sources;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Rollout rollout(UUID id) {
        return rollouts.findById(id).orElseThrow(() -> ProblemException.notFound("Rollout", id));
    }

    public Daily daily(UUID id) {
        Rollout r = rollout(id);
        Instant to = clock.instant();
        Instant from = to.minus(Duration.ofHours(24));
        List<TimelineEntry> transitions = timeline.of(id).stream().filter(e -> !e.at().isBefore(from)).toList();
        List<String> unavailable = new ArrayList<>();
        List<Evaluation> verdicts = new ArrayList<>();
        Read<List<Evaluation>> evaluations = sources.evaluations(id);
        if (evaluations.ok()) {
            evaluations.body().stream().filter(e -> !e.evaluatedAt().isBefore(from)).forEach(verdicts::add);
        }
        else {
            unavailable.add(evaluations.problem());
        }
        List<Incident> incidents = new ArrayList<>();
        Read<List<Incident>> read = sources.incidents(id);
        if (read.ok()) {
            read.body().stream().filter(i -> i.resolvedAt() == null || !i.reportedAt().isBefore(from))
                    .forEach(incidents::add);
        }
        else {
            unavailable.add(read.problem());
        }
        List<String> next = r.conditions().stream().filter(c -> !c.status()).map(c -> c.type() + ": " + c.message()).toList();
        if (next.isEmpty()) {
            next = List.of(r.status().isTerminal() ? "nothing: the rollout is " + r.status()
                    : r.status() == RolloutStatus.PAUSED ? "a person: paused, " + r.statusReason() : "the next step when its gate passes");
        }
        return new Daily(id, r.name(), r.targetVersion(), from, to, r.status(), r.phase(), r.batch(), r.batches(), transitions,
                transitions.stream().filter(e -> e.command().equals("NEXT_BATCH")).map(TimelineEntry::batch).toList(),
                verdicts, incidents, next, unavailable);
    }

    public Weekly weekly() {
        Instant to = clock.instant();
        Instant from = to.minus(Duration.ofDays(7));
        Map<RolloutStatus, Long> byStatus = new EnumMap<>(RolloutStatus.class);
        List<WeeklyLine> lines = new ArrayList<>();
        jdbc.query("SELECT r.id, count(t.id) FROM rollout r LEFT JOIN rollout_timeline t ON t.rollout_id = r.id AND t.at >= ?"
                + " WHERE r.updated_at >= ? OR r.status NOT IN ('COMPLETED','ROLLED_BACK','ABORTED','DRAFT') GROUP BY r.id",
                rs -> {
                    Rollout r = rollout(rs.getObject(1, UUID.class));
                    byStatus.merge(r.status(), 1L, Long::sum);
                    long rollbacks = timeline.of(r.id()).stream().filter(e -> e.command().equals("START_ROLLBACK")
                            && !e.at().isBefore(from)).count();
                    lines.add(new WeeklyLine(r.id(), r.name(), r.targetVersion(), r.status(), r.phase(), r.batch(), r.batches(),
                            rs.getLong(2), rollbacks));
                }, Timestamp.from(from), Timestamp.from(from));
        lines.sort(Comparator.comparing(WeeklyLine::name));
        return new Weekly(from, to, byStatus, lines);
    }

    public Review review(UUID id) {
        Rollout r = rollout(id);
        List<TimelineEntry> entries = timeline.of(id);
        List<String> unavailable = new ArrayList<>();
        Read<List<Evaluation>> evaluations = sources.evaluations(id);
        if (!evaluations.ok()) {
            unavailable.add(evaluations.problem());
        }
        List<PhaseReview> phases = new ArrayList<>();
        for (RolloutStatus phase : List.of(RolloutStatus.DEVELOPMENT, RolloutStatus.PILOT, RolloutStatus.EXPANSION,
                RolloutStatus.PRODUCTION)) {
            Instant started = entries.stream().filter(e -> e.to() == phase && (e.command().equals("START")
                    || e.command().equals("ADVANCE"))).map(TimelineEntry::at).findFirst().orElse(null);
            if (started == null) {
                continue;
            }
            Instant ended = entries.stream().filter(e -> e.from() == phase && e.command().equals("ADVANCE"))
                    .map(TimelineEntry::at).findFirst().orElse(null);
            RolloutPlan.PhasePlan plan = r.plan().phases().get(phase);
            Duration duration = ended == null ? null : Duration.between(started, ended);
            String against = duration == null ? "not finished" : duration.compareTo(plan.minSoak()) < 0 ? "shorter than its minimum soak (promoted)"
                    : plan.maxSoak() != null && duration.compareTo(plan.maxSoak()) > 0 ? "longer than its maximum soak" : "within plan";
            phases.add(new PhaseReview(phase, started, ended, duration, plan.minSoak(), plan.maxSoak(), against,
                    evaluations.ok() ? lastPass(evaluations.body(), phase, null, unavailable) : null));
        }
        List<FullEvaluation> batches = new ArrayList<>();
        if (evaluations.ok()) {
            for (int n = 1; n <= r.batches(); n++) {
                FullEvaluation pass = lastPass(evaluations.body(), RolloutStatus.EXPANSION, n, unavailable);
                if (pass != null) {
                    batches.add(pass);
                }
            }
        }
        Read<List<RollbackView>> rollbacks = sources.rollbacks(id);
        Read<List<RootCause>> causes = sources.rootCauses(id);
        if (!rollbacks.ok()) {
            unavailable.add(rollbacks.problem());
        }
        if (!causes.ok()) {
            unavailable.add(causes.problem());
        }
        Instant endedAt = r.status().isTerminal() || r.status() == RolloutStatus.ABORTED ? r.statusSince() : null;
        return new Review(id, r.name(), r.targetVersion(), r.status(), entries.isEmpty() ? null : entries.get(0).at(), endedAt,
                phases, batches, history(r.batches(), evaluations.ok() ? evaluations.body() : null, entries),
                rollbacks.ok() ? rollbacks.body() : null, causes.ok() ? causes.body() : null, entries, lessons(id),
                unavailable);
    }

    /** Each batch's verdicts and transitions in time order, and how it ended (its last verdict). */
    static List<BatchHistory> history(int batches, List<Evaluation> evaluations, List<TimelineEntry> entries) {
        List<BatchHistory> histories = new ArrayList<>();
        for (int n = 1; n <= batches; n++) {
            List<BatchEvent> events = new ArrayList<>();
            if (evaluations != null) {
                for (Evaluation e : evaluations) {
                    if (e.phase() == MetricsGateClient.Phase.EXPANSION && e.batch() != null && e.batch() == n) {
                        String components = e.components() == null ? "" : String.join(", ", e.components());
                        events.add(new BatchEvent(e.evaluatedAt(), "gate " + e.verdict() + (e.scope() == null ? ""
                                : " (" + e.scope() + (components.isEmpty() ? "" : ": " + components) + ")"),
                                e.reasons() == null || e.reasons().isEmpty() ? "" : e.reasons().get(0)));
                    }
                }
            }
            for (TimelineEntry e : entries) {
                if (e.batch() == n && !e.command().equals("NEXT_BATCH")) {
                    events.add(new BatchEvent(e.at(), e.command().toLowerCase(Locale.ROOT).replace('_', ' ')
                            + " by " + e.actor(), e.reason() == null ? "" : e.reason()));
                }
            }
            if (events.isEmpty()) {
                continue;
            }
            events.sort(Comparator.comparing(BatchEvent::at));
            // the same verdict again (the gate asked each pass until the batch moved on) is one line
            List<BatchEvent> distinct = new ArrayList<>();
            for (BatchEvent e : events) {
                if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).what().equals(e.what())) {
                    distinct.add(e);
                }
            }
            events = distinct;
            String outcome = events.stream().filter(e -> e.what().startsWith("gate ")).reduce((a, b) -> b)
                    .map(e -> e.what().substring(5)).orElse("not judged");
            histories.add(new BatchHistory(n, outcome, events));
        }
        return histories;
    }

    /** The gate's last PASS of a phase (or batch), with every measurement: what it was judged on. */
    private FullEvaluation lastPass(List<Evaluation> history, RolloutStatus phase, Integer batch,
            List<String> unavailable) {
        for (Evaluation summary : history) { // newest first
            boolean batchMatches = batch == null || batch.equals(summary.batch());
            if (summary.phase() != null && summary.phase().name().equals(phase.name()) && batchMatches
                    && summary.verdict() == MetricsGateClient.Verdict.PASS) {
                Read<FullEvaluation> full = sources.evaluation(summary.id());
                if (!full.ok()) {
                    unavailable.add(full.problem());
                    return FullEvaluation.of(summary);
                }
                return full.body();
            }
        }
        return null;
    }

    Lessons lessons(UUID id) {
        return jdbc.query("SELECT lessons_learned, best_practices, process_improvements, edited_by, edited_at FROM rollout_review"
                + " WHERE rollout_id = ?", (rs, n) -> new Lessons(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getTimestamp(5).toInstant()), id).stream().findFirst().orElse(null);
    }

    Lessons editLessons(UUID id, String learned, String practices, String improvements, String actor) {
        rollout(id);
        Timestamp now = Timestamp.from(clock.instant());
        int updated = jdbc.update("UPDATE rollout_review SET lessons_learned = ?, best_practices = ?, process_improvements = ?,"
                + " edited_by = ?, edited_at = ? WHERE rollout_id = ?", learned, practices, improvements, actor, now, id);
        if (updated == 0) {
            jdbc.update("INSERT INTO rollout_review (rollout_id, lessons_learned, best_practices, process_improvements,"
                    + " edited_by, edited_at) VALUES (?, ?, ?, ?, ?, ?)", id, learned, practices, improvements, actor, now);
        }
        return lessons(id);
    }
}
