package dev.rollout.metricsgate.statistics;

/** A two-sided confidence interval for a proportion or a mean, with the estimate it surrounds. */
public record Interval(double estimate, double low, double high, double confidence) {

    /** True when the whole interval lies strictly above {@code threshold}. */
    public boolean above(double threshold) {
        return low > threshold;
    }

    /** True when the whole interval lies strictly below {@code threshold}. */
    public boolean below(double threshold) {
        return high < threshold;
    }
}
