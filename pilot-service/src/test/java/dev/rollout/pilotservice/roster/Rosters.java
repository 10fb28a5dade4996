package dev.rollout.pilotservice.roster;

import java.util.ArrayList;
import java.util.List;

/** The plan's roster of 44 pilots as JSON, and ways to break it. */
public final class Rosters {

    private Rosters() {
    }

    public record Entry(String id, String group, int wing, int squadron) {
        String json() {
            return "{\"id\":\"" + id + "\",\"name\":\"Pilot " + id + "\",\"contact\":\"" + id + "@example.org\","
                    + "\"group\":\"" + group + "\",\"wing\":" + wing + ",\"squadron\":" + squadron + "}";
        }
    }

    public static List<Entry> plan() {
        List<Entry> entries = new ArrayList<>();
        for (int i = 1; i <= 11; i++) {
            entries.add(new Entry(String.format("elite-s4-%02d", i), "ELITE_11", 1, 4));
        }
        for (int squadron = 1; squadron <= 3; squadron++) {
            for (int i = 1; i <= 11; i++) {
                entries.add(new Entry(String.format("mastery-w1s%d-%02d", squadron, i), "MASTERY_33", 1, squadron));
            }
        }
        return entries;
    }

    public static String json(List<Entry> entries) {
        return "[" + String.join(",", entries.stream().map(Entry::json).toList()) + "]";
    }
}
