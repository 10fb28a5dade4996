package dev.rollout.clusterbatcher.activation;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.rollout.clusterbatcher.plan.BatchPlans;
import dev.rollout.clusterbatcher.plan.FrozenPlan;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Rollout states for the agent API, cached for a short time (default 200 ms) so that a million lookups
 * do not read the same few rows a million times. A change made on this replica is visible at once;
 * one made on another replica within the cache time: that is the bound on a stale {@code 304} anywhere. The
 * states seen lately are kept by fingerprint, so that a batched lookup can answer only what changed.
 */
@Component
public class RolloutStates {

    private final BatchPlans plans;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration ttl;
    private final Map<UUID, RolloutState> cache = new ConcurrentHashMap<>();
    private final Map<String, RolloutState> recent = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, RolloutState> eldest) {
                    return size() > 64;
                }
            });
    private volatile CachedOpen open;

    private record CachedOpen(Optional<UUID> rolloutId, long at) {
    }

    RolloutStates(BatchPlans plans, JdbcTemplate jdbc, Clock clock,
            @Value("${rollout.batcher.state-cache:200ms}") Duration ttl) {
        this.plans = plans;
        this.jdbc = jdbc;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** The state of a rollout, or empty when it has no plan. */
    public Optional<RolloutState> of(UUID rolloutId) {
        RolloutState cached = cache.get(rolloutId);
        if (cached != null && cached.loadedAt().plus(ttl).isAfter(clock.instant())) {
            return Optional.of(cached);
        }
        Optional<FrozenPlan> loaded = plans.load(rolloutId);
        if (loaded.isEmpty()) {
            return Optional.empty();
        }
        FrozenPlan plan = loaded.get();
        Set<Integer> batches = new HashSet<>();
        boolean[] fleet = { false };
        jdbc.query("SELECT batch FROM activation WHERE rollout_id = ? AND deactivated_at IS NULL", rs -> {
            int batch = rs.getInt(1);
            if (batch == RolloutState.FLEET) {
                fleet[0] = true;
            }
            else {
                batches.add(batch);
            }
        }, rolloutId);
        Map<String, String> pins = new HashMap<>();
        jdbc.query("SELECT component, version FROM component_pin WHERE rollout_id = ?",
                rs -> { pins.put(rs.getString(1), rs.getString(2)); }, rolloutId);
        RolloutState state = new RolloutState(plan, Set.copyOf(batches), fleet[0], Map.copyOf(pins), clock.instant());
        cache.put(rolloutId, state);
        recent.put(state.fingerprint(), state);
        return Optional.of(state);
    }

    /** The rollout in progress (the newest open plan), if any. */
    public Optional<RolloutState> current() {
        CachedOpen cached = open;
        long now = clock.millis();
        if (cached == null || now - cached.at() > ttl.toMillis()) {
            cached = new CachedOpen(plans.openRollout(), now);
            open = cached;
        }
        return cached.rolloutId().flatMap(this::of);
    }

    /** A state this replica has seen lately, by its fingerprint (what an agent's token names). */
    public Optional<RolloutState> seen(String fingerprint) {
        return Optional.ofNullable(recent.get(fingerprint));
    }

    /** Drops what this replica cached of a rollout after it changed. */
    public void changed(UUID rolloutId) {
        cache.remove(rolloutId);
        open = null;
    }
}
