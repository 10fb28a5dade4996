package dev.rollout.phaseengine.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.rollout.phaseengine.client.MetricsGateClient;
import dev.rollout.phaseengine.rollout.RolloutRequests.TimelineEntry;

/** The reports as Markdown, for a chat channel, an e-mail or a wiki page. */
final class Markdown {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** KPIs measured as a share, shown as a percentage (TESTS counts the tests that passed). */
    private static final Set<String> FRACTIONS = Set.of("COVERAGE", "AVAILABILITY", "CRITICAL_ERROR_RATE",
            "AGENT_RESPONSE_RATE", "ONBOARDING", "ERROR_BUDGET", "ERROR_RATE_TRIGGER", "DEGRADATION_TRIGGER");

    private Markdown() {
    }

    static String daily(Reports.Daily d) {
        StringBuilder md = new StringBuilder();
        md.append("# Daily stand-up: ").append(d.name()).append(' ').append(d.targetVersion()).append("\n\n");
        md.append("From ").append(at(d.from())).append(" to ").append(at(d.to())).append(". Now **").append(d.status()).append("**")
                .append(d.phase() == null ? "" : " in " + d.phase()).append(d.batches() > 0 && d.batch() > 0
                        ? ", batch " + d.batch() + " of " + d.batches() : "").append(".\n\n");
        md.append("## Transitions\n\n");
        if (d.transitions().isEmpty()) {
            md.append("None in the last 24 hours.\n");
        }
        d.transitions().forEach(e -> md.append(line(e)));
        md.append("\n## Batches activated\n\n").append(d.batchesActivated().isEmpty() ? "None."
                : d.batchesActivated().stream().map(String::valueOf).collect(Collectors.joining(", "))).append("\n");
        md.append("\n## Gate verdicts\n\n");
        if (d.verdicts().isEmpty()) {
            md.append("None in the last 24 hours.\n");
        }
        d.verdicts().forEach(v -> md.append("- ").append(at(v.evaluatedAt())).append(" ").append(v.phase())
                .append(v.batch() != null ? " batch " + v.batch() : "").append(": **").append(v.verdict())
                .append("** (/api/evaluations/").append(v.id()).append(")\n"));
        md.append("\n## Incidents\n\n");
        if (d.incidents().isEmpty()) {
            md.append("None open or reported.\n");
        }
        d.incidents().forEach(i -> md.append("- ").append(i.severity()).append(' ').append(i.type()).append(": ")
                .append(i.description()).append(i.resolvedAt() != null ? " (resolved)" : " (open)").append("\n"));
        md.append("\n## Next\n\n");
        d.next().forEach(n -> md.append("- ").append(n).append("\n"));
        unavailable(md, d.unavailable());
        return md.toString();
    }

    static String weekly(Reports.Weekly w) {
        StringBuilder md = new StringBuilder("# Weekly stakeholder update\n\n");
        md.append("From ").append(at(w.from())).append(" to ").append(at(w.to())).append(".\n\n");
        md.append(w.byStatus().entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")))
                .append(w.byStatus().isEmpty() ? "No rollout this week." : "").append("\n\n");
        if (!w.rollouts().isEmpty()) {
            md.append("| Rollout | Version | Status | Phase | Batch | Transitions | Rollbacks |\n|---|---|---|---|---|---|---|\n");
            w.rollouts().forEach(r -> md.append("| ").append(r.name()).append(" | ").append(r.targetVersion()).append(" | ")
                    .append(r.status()).append(" | ").append(r.phase() == null ? "" : r.phase()).append(" | ")
                    .append(r.batches() > 0 ? r.batch() + " of " + r.batches() : "").append(" | ").append(r.transitions())
                    .append(" | ").append(r.rollbacks()).append(" |\n"));
        }
        return md.toString();
    }

    static String review(Reports.Review r) {
        StringBuilder md = new StringBuilder();
        md.append("# Post-rollout review: ").append(r.name()).append(' ').append(r.targetVersion()).append("\n\n");
        md.append("Outcome: **").append(r.outcome()).append("**, from ").append(at(r.startedAt())).append(" to ")
                .append(r.endedAt() == null ? "now" : at(r.endedAt()))
                .append(r.startedAt() != null && r.endedAt() != null ? " (" + human(Duration.between(r.startedAt(), r.endedAt())) + ")" : "")
                .append(".\n\n## Phases against the plan\n\n");
        md.append("| Phase | Started | Ended | Took | Planned soak | Against plan | Gate |\n|---|---|---|---|---|---|---|\n");
        r.phases().forEach(p -> md.append("| ").append(p.phase()).append(" | ").append(at(p.startedAt())).append(" | ")
                .append(p.endedAt() == null ? "" : at(p.endedAt())).append(" | ").append(human(p.duration())).append(" | ")
                .append(human(p.minSoak())).append(" to ").append(p.maxSoak() == null ? "open" : human(p.maxSoak()))
                .append(" | ").append(p.againstPlan()).append(" | ").append(p.gate() == null ? "no PASS"
                        : p.gate().verdict() + " /api/evaluations/" + p.gate().id()).append(" |\n"));
        for (Reports.PhaseReview p : r.phases()) {
            if (p.gate() != null && p.gate().measurements() != null) {
                md.append("\n### ").append(p.phase()).append(": the KPIs it passed on\n\n");
                md.append("| KPI | Value | n | Threshold | Verdict | Source | Components | Reason |\n"
                        + "|---|---|---|---|---|---|---|---|\n");
                for (MetricsGateClient.Measurement m : p.gate().measurements()) {
                    md.append("| ").append(m.kpi()).append(" | ").append(cell(value(m))).append(" | ")
                            .append(m.sampleSize() != null ? number(m.sampleSize()) : "")
                            .append(" | ").append(cell(orEmpty(m.threshold()))).append(" | ")
                            .append(m.verdict()).append(" | ").append(cell(orEmpty(m.source())))
                            .append(" | ").append(m.components() == null || m.components().isEmpty() ? "all"
                                    : cell(String.join(", ", m.components())))
                            .append(" | ").append(cell(orEmpty(m.reason()))).append(" |\n");
                }
            }
        }
        md.append("\n## Batches\n\n");
        if (r.batchHistory().isEmpty()) {
            md.append("None judged.\n");
        }
        for (Reports.BatchHistory b : r.batchHistory()) {
            md.append("- batch ").append(b.batch()).append(": ").append(b.outcome());
            if (b.events().size() > 1 || !b.events().get(0).what().equals("gate " + b.outcome())) {
                md.append(", after:\n");
                b.events().forEach(e -> md.append("  - ").append(at(e.at())).append(" ").append(e.what())
                        .append(e.detail().isEmpty() ? "" : ": " + e.detail()).append("\n"));
            }
            else {
                md.append(" at ").append(at(b.events().get(0).at())).append("\n");
            }
        }
        md.append("\n## Rollbacks\n\n");
        if (r.rollbacks() == null || r.rollbacks().isEmpty()) {
            md.append(r.rollbacks() == null ? "Unknown (rollback-service did not answer).\n" : "None.\n");
        }
        else {
            r.rollbacks().forEach(b -> md.append("- ").append(b.scope()).append(' ')
                    .append(b.components() == null || b.components().isEmpty() ? ""
                            : "[" + String.join(", ", b.components()) + "] ")
                    .append(b.status()).append(": ").append(b.reason())
                    .append(b.flippedAfterMs() != null ? " (agents flipped back after "
                            + number(b.flippedAfterMs() / 1000.0) + " s)" : "")
                    .append(b.requestedAt() != null ? ", asked " + at(b.requestedAt()) + " by " + b.requestedBy() : "")
                    .append("\n"));
        }
        if (r.rootCauses() != null) {
            r.rootCauses().forEach(c -> md.append("- root cause: ").append(c.summary()).append(": ").append(c.cause())
                    .append("\n"));
        }
        md.append("\n## Lessons learned, best practices, process improvements\n\n");
        if (r.lessons() == null) {
            md.append("Not written yet (PUT /api/rollouts/").append(r.rolloutId()).append("/reports/review/lessons).\n");
        }
        else {
            md.append("### Lessons learned\n\n").append(text(r.lessons().lessonsLearned())).append("\n\n### Best practices\n\n")
                    .append(text(r.lessons().bestPractices())).append("\n\n### Process improvements\n\n")
                    .append(text(r.lessons().processImprovements())).append("\n\n_Edited by ").append(r.lessons().editedBy())
                    .append(" at ").append(at(r.lessons().editedAt())).append("._\n");
        }
        md.append("\n## Timeline\n\n");
        r.timeline().forEach(e -> md.append(line(e)));
        unavailable(md, r.unavailable());
        return md.toString();
    }

    private static String line(TimelineEntry e) {
        return "- " + at(e.at()) + " " + e.command() + " " + e.from() + " -> " + e.to() + (e.batch() > 0 ? " (batch " + e.batch() + ")"
                : "") + " by " + e.actor() + (e.reason() == null ? "" : ": " + e.reason()) + "\n";
    }

    private static void unavailable(StringBuilder md, List<String> unavailable) {
        if (!unavailable.isEmpty()) {
            md.append("\n_Missing from this report: ").append(String.join("; ", unavailable)).append("._\n");
        }
    }

    private static String text(String text) {
        return text == null || text.isBlank() ? "(none)" : text;
    }

    /** "2 h 31 min", "3 d 4 h", "45 s". */
    static String human(Duration d) {
        if (d == null) {
            return "";
        }
        long seconds = Math.max(0, d.getSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + " min";
        }
        long hours = minutes / 60;
        if (hours < 48) {
            return hours + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
        }
        return hours / 24 + " d" + (hours % 24 == 0 ? "" : " " + hours % 24 + " h");
    }

    /** An instant to the minute, in UTC. */
    static String at(Instant instant) {
        return instant == null ? "" : MINUTE.format(instant);
    }


    /** A measurement's value as people read it: a share as a percentage, a figure to four significant digits. */
    static String value(MetricsGateClient.Measurement m) {
        if (m.value() == null) {
            return "";
        }
        double value = m.value();
        String kpi = m.kpi();
        return FRACTIONS.contains(kpi) ? percent(value) : number(value) + (kpi.equals("RESPONSE_TIME") ? " ms" : "");
    }

    static String percent(double fraction) {
        double percent = fraction * 100;
        if (percent == 0) {
            return "0%";
        }
        int digits = Math.abs(percent) >= 99.9 && Math.abs(percent) < 100 ? 5 : 3;
        return new BigDecimal(percent).round(new MathContext(digits)).stripTrailingZeros().toPlainString() + "%";
    }

    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    /** Text for a table cell: no pipe or line break to break the row. */
    private static String cell(String text) {
        return text.replace("|", "/").replace("\n", " ");
    }
}
