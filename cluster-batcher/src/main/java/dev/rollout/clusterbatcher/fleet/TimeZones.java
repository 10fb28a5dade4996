package dev.rollout.clusterbatcher.fleet;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps an agent's time zone (an IANA id such as {@code Asia/Kolkata}, or a UTC offset such as
 * {@code +05:30}, {@code UTC-3}, {@code Z}) to one of the 24 hourly zones, UTC-11 to UTC+12: its
 * standard offset rounded to the hour, with UTC+13 and UTC+14 folded onto the zones that share
 * their clock hour (UTC-11, UTC-10) and UTC-12 onto UTC+12.
 */
public final class TimeZones {

    public static final int FIRST = -11;
    public static final int LAST = 12;
    public static final int COUNT = 24;

    private static final Pattern OFFSET = Pattern.compile("(?i)(?:UTC|GMT)?\\s*([+-])(\\d{1,2})(?::?(\\d{2}))?");
    private static final Instant REFERENCE = Instant.parse("2026-01-15T00:00:00Z");

    private TimeZones() {
    }

    /** Zones already mapped: a fleet writes its time zones in a handful of spellings. */
    private static final ConcurrentHashMap<String, Integer> KNOWN = new ConcurrentHashMap<>();
    private static final int KNOWN_MAX = 4096;

    /** The hourly zone of {@code text}; throws {@link IllegalArgumentException} naming what is wrong. */
    public static int hourlyZone(String text) {
        Integer known = text == null ? null : KNOWN.get(text);
        if (known != null) {
            return known;
        }
        int zone = map(text);
        if (KNOWN.size() < KNOWN_MAX) {
            KNOWN.put(text, zone);
        }
        return zone;
    }

    private static int map(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("time zone is missing");
        }
        String value = text.strip();
        int seconds;
        if (value.equalsIgnoreCase("Z") || value.equalsIgnoreCase("UTC") || value.equalsIgnoreCase("GMT")) {
            seconds = 0;
        }
        else {
            Matcher m = OFFSET.matcher(value);
            if (m.matches()) {
                int hours = Integer.parseInt(m.group(2));
                int minutes = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
                if (hours > 14 || minutes > 59) {
                    throw new IllegalArgumentException("time zone '" + value + "' is not a UTC offset between -12:00 and +14:00");
                }
                seconds = (hours * 3600 + minutes * 60) * ("-".equals(m.group(1)) ? -1 : 1);
            }
            else {
                try {
                    ZoneOffset standard = ZoneId.of(value).getRules().getStandardOffset(REFERENCE);
                    seconds = standard.getTotalSeconds();
                }
                catch (DateTimeException e) {
                    throw new IllegalArgumentException("time zone '" + value + "' is neither an IANA zone id nor a UTC offset");
                }
            }
        }
        int hour = Math.round(seconds / 3600f);
        return Math.floorMod(hour - FIRST, COUNT) + FIRST;
    }

    public static String label(int zone) {
        return zone < 0 ? "UTC" + zone : "UTC+" + zone;
    }
}
