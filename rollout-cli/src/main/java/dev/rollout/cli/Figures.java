package dev.rollout.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/** Figures as people read them: 68.4%, 0.001%, 1,000,000, 2026-12-06 00:27 UTC, 2 h 31 min. */
public final class Figures {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** KPIs measured as a fraction, read as a percentage (TESTS counts the tests that passed). */
    public static final Set<String> FRACTION_KPIS = Set.of("COVERAGE", "AVAILABILITY", "CRITICAL_ERROR_RATE",
            "AGENT_RESPONSE_RATE", "ONBOARDING", "ERROR_BUDGET", "ERROR_RATE_TRIGGER", "DEGRADATION_TRIGGER");

    private Figures() {
    }

    /** A KPI's value as its unit reads: a fraction as a percentage, a response time in ms, anything else as a number. */
    public static String kpi(String kpi, double value) {
        return FRACTION_KPIS.contains(kpi) ? percent(value) : number(value) + ("RESPONSE_TIME".equals(kpi) ? " ms" : "");
    }

    /** A number to four significant digits, never in scientific notation; whole numbers with thousands separators. */
    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(4));
        return rounded.stripTrailingZeros().toPlainString();
    }

    /** A fraction (0.684) as a percentage (68.4%), to three significant digits. */
    public static String percent(double fraction) {
        double percent = fraction * 100;
        if (Math.abs(percent) < 1e-9) {
            // an interval's bound computed as 4e-19 is zero as anyone reads it
            return "0%";
        }
        if (Math.abs(percent) >= 99.9 && Math.abs(percent) < 100) {
            // 99.95% is not 100%: keep the digits that tell them apart
            return new BigDecimal(percent).round(new MathContext(5)).stripTrailingZeros().toPlainString() + "%";
        }
        return new BigDecimal(percent).round(new MathContext(3)).stripTrailingZeros().toPlainString() + "%";
    }

    /** An instant to the minute, in UTC; the text as it came where it is not an instant. */
    public static String time(String instant) {
        if (instant == null || instant.isBlank() || instant.equals("null")) {
            return "-";
        }
        try {
            return MINUTE.format(Instant.parse(instant));
        }
        catch (DateTimeParseException notAnInstant) {
            return instant;
        }
    }

    /** A duration as "2 h 31 min", "45 s", "3 d 4 h". */
    public static String duration(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
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

    /** An ISO-8601 duration (PT2H30M) as "2 h 30 min"; the text as it came where it is not one. */
    public static String duration(String iso) {
        if (iso == null || iso.isBlank() || iso.equals("null")) {
            return "-";
        }
        try {
            return duration(Duration.parse(iso));
        }
        catch (DateTimeParseException notADuration) {
            return iso;
        }
    }

    /** A bar of {@code width} cells, {@code done} of {@code total} filled. */
    public static String bar(long done, long total, int width) {
        int filled = total <= 0 ? 0 : (int) Math.min(width, Math.round((double) done * width / total));
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }
}
