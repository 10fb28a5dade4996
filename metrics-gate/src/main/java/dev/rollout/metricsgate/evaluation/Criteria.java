package dev.rollout.metricsgate.evaluation;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.rollout.metricsgate.statistics.Interval;
import dev.rollout.metricsgate.statistics.Statistics;

/**
 * The gate's rules as small functions from figures to a measurement with its verdict and reason.
 * Missing data, too few samples, NaN or an interval that straddles the threshold is INCONCLUSIVE.
 */
public final class Criteria {

    private Criteria() {
    }

    /**
     * A rate that must stay at or below {@code max} ({@code events} out of {@code trials}): FAIL when the
     * whole interval is above it, PASS when the whole interval is below it, INCONCLUSIVE otherwise or
     * with fewer than {@code minSamples} trials.
     */
    public static Measurement rateAtMost(Kpi kpi, String source, String query, Long events, Long trials, double max,
            double confidence, long minSamples, List<String> components) {
        String threshold = "<= " + pct(max);
        if (events == null || trials == null) {
            return Measurement.inconclusive(kpi, source, query, threshold, "no data");
        }
        if (trials < minSamples) {
            return new Measurement(kpi, kpi.trigger(), source, query, trials == 0 ? null : (double) events / trials, trials,
                    threshold, null, null, Verdict.INCONCLUSIVE, "only " + trials + " observations, needs " + minSamples,
                    components, Map.of("events", events, "trials", trials));
        }
        if (events < 0 || events > trials) {
            return inconsistent(kpi, source, query, threshold, "events", events, trials, components);
        }
        Interval interval = Statistics.wilson(events, trials, confidence);
        Verdict verdict = interval.above(max) ? Verdict.FAIL : interval.below(max) ? Verdict.PASS : Verdict.INCONCLUSIVE;
        String reason = String.format(Locale.ROOT, "%s = %s (%d of %d), %.0f%% interval %s to %s: %s", label(kpi),
                pct(interval.estimate()), events, trials, confidence * 100, pct(interval.low()), pct(interval.high()),
                verdict == Verdict.FAIL ? "entirely above " + pct(max)
                        : verdict == Verdict.PASS ? "entirely below " + pct(max) : "straddles " + pct(max) + ", needs more samples");
        return new Measurement(kpi, kpi.trigger(), source, query, interval.estimate(), trials, threshold, interval.low(),
                interval.high(), verdict, reason, components, Map.of("events", events, "trials", trials));
    }

    /**
     * A rate that must be at least {@code min}: PASS when the whole interval is at or above it, FAIL when
     * the whole interval is below it, INCONCLUSIVE otherwise or with too few trials.
     */
    public static Measurement rateAtLeast(Kpi kpi, String source, String query, Long successes, Long trials, double min,
            double confidence, long minSamples, List<String> components) {
        String threshold = ">= " + pct(min);
        if (successes == null || trials == null) {
            return Measurement.inconclusive(kpi, source, query, threshold, "no data");
        }
        if (trials < minSamples) {
            return new Measurement(kpi, kpi.trigger(), source, query, trials == 0 ? null : (double) successes / trials,
                    trials, threshold, null, null, Verdict.INCONCLUSIVE, "only " + trials + " observations, needs "
                            + minSamples, components, Map.of("successes", successes, "trials", trials));
        }
        if (successes < 0 || successes > trials) {
            return inconsistent(kpi, source, query, threshold, "successes", successes, trials, components);
        }
        Interval interval = Statistics.wilson(successes, trials, confidence);
        Verdict verdict = interval.low() >= min ? Verdict.PASS : interval.below(min) ? Verdict.FAIL : Verdict.INCONCLUSIVE;
        String reason = String.format(Locale.ROOT, "%s = %s (%d of %d), %.0f%% interval %s to %s: %s", label(kpi),
                pct(interval.estimate()), successes, trials, confidence * 100, pct(interval.low()), pct(interval.high()),
                verdict == Verdict.PASS ? "at or above " + pct(min)
                        : verdict == Verdict.FAIL ? "entirely below " + pct(min) : "straddles " + pct(min) + ", needs more samples");
        return new Measurement(kpi, kpi.trigger(), source, query, interval.estimate(), trials, threshold, interval.low(),
                interval.high(), verdict, reason, components, Map.of("successes", successes, "trials", trials));
    }

    /**
     * Figures that cannot both be true (more errors than requests, a negative count: a source double-counting, or
     * samples pushed wrongly) prove nothing either way: INCONCLUSIVE with the figures, and the other criteria go on.
     */
    private static Measurement inconsistent(Kpi kpi, String source, String query, String threshold, String name,
            long count, long trials, List<String> components) {
        return new Measurement(kpi, kpi.trigger(), source, query, null, trials, threshold, null, null,
                Verdict.INCONCLUSIVE, "inconsistent figures: " + count + " " + name + " of " + trials
                        + " trials; check what the source reports", components, Map.of(name, count, "trials", trials));
    }

    /** A mean (for instance satisfaction) that must exceed {@code min}, judged on its interval. */
    public static Measurement meanAbove(Kpi kpi, String source, String query, long count, double sum,
            double sumOfSquares, double min, double confidence, long minSamples) {
        String threshold = "> " + fmt(min);
        if (count == 0) {
            return Measurement.inconclusive(kpi, source, query, threshold, "no data");
        }
        double mean = sum / count;
        if (count < minSamples) {
            return new Measurement(kpi, kpi.trigger(), source, query, mean, count, threshold, null, null,
                    Verdict.INCONCLUSIVE, "only " + count + " ratings, needs " + minSamples, List.of(),
                    Map.of("count", count, "sum", sum));
        }
        Interval interval = Statistics.mean(count, sum, sumOfSquares, confidence);
        Verdict verdict = interval.above(min) ? Verdict.PASS : interval.high() <= min ? Verdict.FAIL : Verdict.INCONCLUSIVE;
        String reason = String.format(Locale.ROOT, "%s mean %s over %d ratings, %.0f%% interval %s to %s: %s", label(kpi), fmt(mean),
                count, confidence * 100, fmt(interval.low()), fmt(interval.high()),
                verdict == Verdict.PASS ? "above " + fmt(min) : verdict == Verdict.FAIL ? "not above " + fmt(min)
                        : "straddles " + fmt(min) + ", needs more ratings");
        return new Measurement(kpi, kpi.trigger(), source, query, mean, count, threshold, interval.low(), interval.high(),
                verdict, reason, List.of(), Map.of("count", count, "sum", sum));
    }

    /** A value (for instance a p95 latency) that must stay below {@code max}; NaN or missing is inconclusive. */
    public static Measurement valueBelow(Kpi kpi, String source, String query, Double value, Long sampleSize, double max,
            long minSamples, String unit) {
        String threshold = "< " + fmt(max) + unit;
        if (value == null || value.isNaN() || value.isInfinite()) {
            return Measurement.inconclusive(kpi, source, query, threshold, value == null ? "no data" : "the value is " + value);
        }
        if (sampleSize != null && sampleSize < minSamples) {
            return new Measurement(kpi, kpi.trigger(), source, query, value, sampleSize, threshold, null, null,
                    Verdict.INCONCLUSIVE, "only " + sampleSize + " observations, needs " + minSamples, List.of(), Map.of());
        }
        Verdict verdict = value < max ? Verdict.PASS : Verdict.FAIL;
        return new Measurement(kpi, kpi.trigger(), source, query, value, sampleSize, threshold, null, null, verdict,
                label(kpi) + " = " + fmt(value) + unit + (verdict == Verdict.PASS ? " below " : " not below ") + fmt(max) + unit,
                List.of(), Map.of());
    }

    /** Degradation against the baseline (the previous stable version): FAIL above {@code maxShare} worse. */
    public static Measurement degradation(String source, String query, Double current, Double baseline, double maxShare,
            List<String> components) {
        Kpi kpi = Kpi.DEGRADATION_TRIGGER;
        String threshold = "<= +" + pct(maxShare) + " vs baseline";
        if (current == null || baseline == null || current.isNaN() || baseline.isNaN() || baseline <= 0) {
            return Measurement.inconclusive(kpi, source, query, threshold,
                    current == null || current.isNaN() ? "no current figure" : "no usable baseline figure");
        }
        double change = (current - baseline) / baseline;
        Verdict verdict = change > maxShare ? Verdict.FAIL : Verdict.PASS;
        return new Measurement(kpi, true, source, query, change, null, threshold, null, null, verdict,
                String.format(Locale.ROOT, "response time %s against a baseline of %s: %s%s", fmt(current), fmt(baseline),
                        change >= 0 ? "+" : "", pct(change)), components,
                Map.of("current", current, "baseline", baseline));
    }

    static String label(Kpi kpi) {
        return kpi.name().toLowerCase(Locale.ROOT).replace("_trigger", "").replace('_', ' ');
    }

    public static String pct(double share) {
        return String.format(Locale.ROOT, "%.3f%%", share * 100).replaceAll("0+%$", "%").replace(".%", "%");
    }

    static String fmt(double value) {
        return String.format(Locale.ROOT, "%.3f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
