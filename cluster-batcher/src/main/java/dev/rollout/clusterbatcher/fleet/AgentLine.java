package dev.rollout.clusterbatcher.fleet;

import java.util.regex.Pattern;

/** One agent as registered: validated, with its time zone mapped to an hourly zone. */
public record AgentLine(String agentId, String clusterId, String region, int tzOffset, String labels) {

    static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
    static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final Pattern REGION = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final int MAX_LABELS = 2000;

    /** Validates the fields of one line; throws {@link IllegalArgumentException} naming the first problem. */
    public static AgentLine of(String agentId, String clusterId, String region, String timeZone, String labels) {
        if (agentId == null || agentId.isBlank()) {
            throw new IllegalArgumentException("agent id is missing");
        }
        if (!allowed(agentId, 128, true)) {
            throw new IllegalArgumentException("agent id '" + abbreviate(agentId)
                    + "' must be 1 to 128 letters, digits or . _ : @ -");
        }
        if (clusterId == null || !allowed(clusterId, 64, false)) {
            throw new IllegalArgumentException("cluster '" + abbreviate(String.valueOf(clusterId))
                    + "' must be 1 to 64 letters, digits or . _ -");
        }
        if (region == null || !allowed(region, 64, false)) {
            throw new IllegalArgumentException("region '" + abbreviate(String.valueOf(region))
                    + "' must be 1 to 64 letters, digits or . _ -");
        }
        int zone = TimeZones.hourlyZone(timeZone);
        String normalized = labels == null || labels.isBlank() ? null : labels.strip();
        if (normalized != null && normalized.length() > MAX_LABELS) {
            throw new IllegalArgumentException("labels are longer than " + MAX_LABELS + " characters");
        }
        return new AgentLine(agentId, clusterId, region, zone, normalized);
    }

    /**
     * Whether {@code value} is 1 to {@code max} letters, digits or {@code . _ -} (and {@code : @} for agent ids):
     * the patterns above, checked without a regular expression since an import checks 60,000,000 fields.
     */
    static boolean allowed(String value, int max, boolean agentId) {
        int n = value.length();
        if (n == 0 || n > max) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                    || c == '-' || (agentId && (c == ':' || c == '@'));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}
