package dev.rollout.phaseengine.report;

import java.time.Duration;
import java.util.stream.Collectors;

import dev.rollout.phaseengine.rollout.RolloutRequests.TimelineEntry;
import tools.jackson.databind.JsonNode;

/** The reports as Markdown, for a chat channel, an e-mail or a wiki page. */
final class Markdown {

    private Markdown() {
    }

    static String daily(Reports.Daily d) {
        StringBuilder md = new StringBuilder();
        md.append("# Daily stand-up: ").append(d.name()).append(' ').append(d.targetVersion()).append("\n\n");
        md.append("From ").append(d.from()).append(" to ").append(d.to()).append(". Now **").append(d.status()).append("**")
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
        d.verdicts().forEach(v -> md.append("- ").append(v.path("evaluatedAt").asString()).append(" ")
                .append(v.path("phase").asString()).append(v.path("batch").isNumber() ? " batch " + v.path("batch").asInt() : "")
                .append(": **").append(v.path("verdict").asString()).append("** (/api/evaluations/")
                .append(v.path("id").asString()).append(")\n"));
        md.append("\n## Incidents\n\n");
        if (d.incidents().isEmpty()) {
            md.append("None open or reported.\n");
        }
        d.incidents().forEach(i -> md.append("- ").append(i.path("severity").asString()).append(' ')
                .append(i.path("type").asString()).append(": ").append(i.path("description").asString())
                .append(i.path("resolvedAt").isString() ? " (resolved)" : " (open)").append("\n"));
        md.append("\n## Next\n\n");
        d.next().forEach(n -> md.append("- ").append(n).append("\n"));
        unavailable(md, d.unavailable());
        return md.toString();
    }

    static String weekly(Reports.Weekly w) {
        StringBuilder md = new StringBuilder("# Weekly stakeholder update\n\n");
        md.append("From ").append(w.from()).append(" to ").append(w.to()).append(".\n\n");
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
        md.append("Outcome: **").append(r.outcome()).append("**, from ").append(r.startedAt()).append(" to ")
                .append(r.endedAt() == null ? "now" : r.endedAt()).append(".\n\n## Phases against the plan\n\n");
        md.append("| Phase | Started | Ended | Took | Planned soak | Against plan | Gate |\n|---|---|---|---|---|---|---|\n");
        r.phases().forEach(p -> md.append("| ").append(p.phase()).append(" | ").append(p.startedAt()).append(" | ")
                .append(p.endedAt() == null ? "" : p.endedAt()).append(" | ").append(human(p.duration())).append(" | ")
                .append(human(p.minSoak())).append(" to ").append(p.maxSoak() == null ? "open" : human(p.maxSoak()))
                .append(" | ").append(p.againstPlan()).append(" | ").append(p.gate() == null ? "no PASS"
                        : p.gate().path("verdict").asString() + " /api/evaluations/" + p.gate().path("id").asString()).append(" |\n"));
        for (Reports.PhaseReview p : r.phases()) {
            if (p.gate() != null && p.gate().has("measurements")) {
                md.append("\n### ").append(p.phase()).append(": the KPIs it passed on\n\n");
                md.append("| KPI | Value | Threshold | Verdict | Reason |\n|---|---|---|---|---|\n");
                for (JsonNode m : p.gate().path("measurements")) {
                    md.append("| ").append(m.path("kpi").asString()).append(" | ").append(m.path("value").isNumber()
                            ? m.path("value").asString() : "").append(" | ").append(m.path("threshold").asString()).append(" | ")
                            .append(m.path("verdict").asString()).append(" | ").append(m.path("reason").asString()
                                    .replace("|", "/")).append(" |\n");
                }
            }
        }
        md.append("\n## Batches\n\n");
        if (r.batches().isEmpty()) {
            md.append("None passed.\n");
        }
        r.batches().forEach(b -> md.append("- batch ").append(b.path("batch").asInt()).append(": ")
                .append(b.path("verdict").asString()).append(" at ").append(b.path("evaluatedAt").asString()).append("\n"));
        md.append("\n## Rollbacks\n\n");
        if (r.rollbacks() == null || r.rollbacks().isEmpty()) {
            md.append(r.rollbacks() == null ? "Unknown (rollback-service did not answer).\n" : "None.\n");
        }
        else {
            r.rollbacks().forEach(b -> md.append("- ").append(b.path("scope").asString()).append(' ')
                    .append(b.path("components").isEmpty() ? "" : b.path("components").toString() + " ")
                    .append(b.path("status").asString()).append(": ").append(b.path("reason").asString())
                    .append(b.path("flippedAfterMs").isNumber() ? " (agents flipped after " + b.path("flippedAfterMs").asLong()
                            + " ms)" : "").append("\n"));
        }
        if (r.rootCauses() != null) {
            r.rootCauses().forEach(c -> md.append("- root cause: ").append(c.path("summary").asString()).append(": ")
                    .append(c.path("cause").asString()).append("\n"));
        }
        md.append("\n## Lessons learned, best practices, process improvements\n\n");
        if (r.lessons() == null) {
            md.append("Not written yet (PUT /api/rollouts/").append(r.rolloutId()).append("/reports/review/lessons).\n");
        }
        else {
            md.append("### Lessons learned\n\n").append(text(r.lessons().lessonsLearned())).append("\n\n### Best practices\n\n")
                    .append(text(r.lessons().bestPractices())).append("\n\n### Process improvements\n\n")
                    .append(text(r.lessons().processImprovements())).append("\n\n_Edited by ").append(r.lessons().editedBy())
                    .append(" at ").append(r.lessons().editedAt()).append("._\n");
        }
        md.append("\n## Timeline\n\n");
        r.timeline().forEach(e -> md.append(line(e)));
        unavailable(md, r.unavailable());
        return md.toString();
    }

    private static String line(TimelineEntry e) {
        return "- " + e.at() + " " + e.command() + " " + e.from() + " -> " + e.to() + (e.batch() > 0 ? " (batch " + e.batch() + ")"
                : "") + " by " + e.actor() + (e.reason() == null ? "" : ": " + e.reason()) + "\n";
    }

    private static void unavailable(StringBuilder md, java.util.List<String> unavailable) {
        if (!unavailable.isEmpty()) {
            md.append("\n_Missing from this report: ").append(String.join("; ", unavailable)).append("._\n");
        }
    }

    private static String text(String text) {
        return text == null || text.isBlank() ? "(none)" : text;
    }

    static String human(Duration d) {
        if (d == null) {
            return "";
        }
        long hours = d.toHours();
        return hours >= 48 ? (hours / 24) + " days" : hours >= 1 ? hours + " h" : d.toMinutes() + " min";
    }
}
