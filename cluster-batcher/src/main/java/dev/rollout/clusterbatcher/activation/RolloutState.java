package dev.rollout.clusterbatcher.activation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import dev.rollout.clusterbatcher.plan.FrozenPlan;

/**
 * What decides an agent's desired versions: the frozen plan, the batches that are active, whether the
 * whole fleet is (Phase 4), and the components pinned to a version.
 *
 * @param fingerprint names everything an agent's desired state depends on besides its own place: the rollout, its
 *                    plan, the active batches and the pins. Equal fingerprints, equal desired state for every agent,
 *                    whichever replica computed them (the {@code ETag} of the agent API); computed once, when the
 *                    state is loaded, not per poll
 * @param activatedVersions the version of each component for an activated agent, and
 * @param previousVersions  for one that is not: the two answers every agent gets one of, built once per state
 */
public record RolloutState(FrozenPlan plan, Set<Integer> activeBatches, boolean fleetActive,
        Map<String, String> pins, Instant loadedAt, String fingerprint, Map<String, String> activatedVersions,
        Map<String, String> previousVersions) {

    public RolloutState(FrozenPlan plan, Set<Integer> activeBatches, boolean fleetActive, Map<String, String> pins,
            Instant loadedAt) {
        this(plan, activeBatches, fleetActive, pins, loadedAt, fingerprint(plan, activeBatches, fleetActive, pins),
                versions(plan, pins, true), versions(plan, pins, false));
    }

    private static Map<String, String> versions(FrozenPlan plan, Map<String, String> pins, boolean active) {
        Map<String, String> versions = new TreeMap<>();
        for (FrozenPlan.ComponentVersions c : plan.components()) {
            versions.put(c.name(), !active ? c.previousVersion() : pins.getOrDefault(c.name(), c.targetVersion()));
        }
        return Collections.unmodifiableMap(versions);
    }

    /** Batch -1 in storage: the whole fleet, inside and outside the plan. */
    public static final int FLEET = -1;

    public UUID rolloutId() {
        return plan.rolloutId();
    }

    private static String fingerprint(FrozenPlan plan, Set<Integer> activeBatches, boolean fleetActive,
            Map<String, String> pins) {
        StringBuilder text = new StringBuilder(plan.rolloutId().toString()).append('|').append(plan.frozenAt()).append('|')
                .append(plan.closedAt()).append('|').append(fleetActive).append('|')
                .append(new TreeSet<>(activeBatches)).append('|').append(new TreeMap<>(pins));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether an agent of this 0-based batch (-1: outside the plan) runs the new version. */
    public boolean activated(int batch) {
        return fleetActive || (batch >= 0 && activeBatches.contains(batch));
    }

    /** Whether an activated agent of this batch may report {@code version}: the plan's, or a component's. */
    public boolean expects(int batch, String version) {
        if (plan.targetVersion().equals(version)) {
            return true;
        }
        for (FrozenPlan.ComponentVersions c : plan.components()) {
            if (pins.getOrDefault(c.name(), c.targetVersion()).equals(version)) {
                return true;
            }
        }
        return false;
    }

    /** The version of each component for an agent in this batch (sorted by component, not to be changed). */
    public Map<String, String> versions(int batch) {
        return activated(batch) ? activatedVersions : previousVersions;
    }
}
