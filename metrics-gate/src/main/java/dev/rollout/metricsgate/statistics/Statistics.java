package dev.rollout.metricsgate.statistics;

/**
 * The gate's statistics, without Spring: Wilson score intervals for rates (error rate, response rate,
 * availability) and normal intervals for means (satisfaction), so that a verdict on a handful of samples
 * says "not yet" instead of guessing.
 */
public final class Statistics {

    private Statistics() {
    }

    /**
     * The Wilson score interval of {@code successes} out of {@code trials} at the given two-sided
     * confidence (for instance 0.95). Behaves well at 0 and at {@code trials}, and for small samples.
     */
    public static Interval wilson(long successes, long trials, double confidence) {
        if (trials <= 0) {
            throw new IllegalArgumentException("trials must be positive");
        }
        if (successes < 0 || successes > trials) {
            throw new IllegalArgumentException("successes must be between 0 and trials");
        }
        double z = z(confidence);
        double n = trials;
        double p = successes / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double margin = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
        return new Interval(p, Math.max(0, centre - margin), Math.min(1, centre + margin), confidence);
    }

    /** The normal interval of a mean from its sample count, sum and sum of squares. */
    public static Interval mean(long count, double sum, double sumOfSquares, double confidence) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive");
        }
        double mean = sum / count;
        if (count == 1) {
            return new Interval(mean, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, confidence);
        }
        double variance = Math.max(0, (sumOfSquares - count * mean * mean) / (count - 1));
        double margin = z(confidence) * Math.sqrt(variance / count);
        return new Interval(mean, mean - margin, mean + margin, confidence);
    }

    /** The two-sided standard normal quantile for a confidence level (0.5 < confidence < 1). */
    public static double z(double confidence) {
        if (!(confidence > 0.5 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be between 0.5 and 1");
        }
        return inverseNormal(1 - (1 - confidence) / 2);
    }

    /** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
    static double inverseNormal(double p) {
        double[] a = { -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                -3.066479806614716e+01, 2.506628277459239e+00 };
        double[] b = { -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                -1.328068155288572e+01 };
        double[] c = { -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                4.374664141464968e+00, 2.938163982698783e+00 };
        double[] d = { 7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00 };
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
