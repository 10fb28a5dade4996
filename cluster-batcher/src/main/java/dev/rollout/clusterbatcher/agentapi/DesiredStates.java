package dev.rollout.clusterbatcher.agentapi;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rollout.clusterbatcher.activation.RolloutState;
import dev.rollout.clusterbatcher.activation.RolloutStates;
import dev.rollout.clusterbatcher.plan.SeatTokens;
import dev.rollout.starter.security.AgentCaller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;

/** What each agent should run: computed from its place in the fleet and the rollout's state. */
@Service
class DesiredStates {

    /**
     * {@code seat}: where the agent sits in the rollout's plan, signed ({@link SeatTokens}), for agents of a batch of an
     * open plan; sent back with the agent's acknowledgement, it is placed without a lookup.
     */
    record Desired(String agentId, UUID rolloutId, Integer batch, boolean activated, Map<String, String> versions,
            @JsonInclude(JsonInclude.Include.NON_NULL) String seat) {
    }

    /** An agent the caller may not ask for, and why. */
    record Refused(String agentId, String reason) {
    }

    /**
     * The answer, and the token of the state it was computed from: sent back as {@code since}, it makes the next
     * answer hold only the agents whose desired state changed ({@code unchanged} when none could have).
     */
    record Answer(List<Desired> states, List<String> unknownAgents, List<Refused> refused, String token,
            boolean unchanged) {
    }

    /** The token when no rollout is in progress. */
    static final String NO_ROLLOUT = "none";

    private final AgentDirectory directory;
    private final RolloutStates states;
    private final Counter lookups;

    DesiredStates(AgentDirectory directory, RolloutStates states, MeterRegistry meters) {
        this.directory = directory;
        this.states = states;
        this.lookups = Counter.builder("rollout.agent.desired.lookups").description("Agents whose desired state was asked")
                .register(meters);
    }

    /** The token of the state answers are computed from now, from memory (no database read within the cache time). */
    String token() {
        return states.current().map(RolloutState::fingerprint).orElse(NO_ROLLOUT);
    }

    Answer of(List<String> agentIds, AgentCaller caller) {
        return of(agentIds, caller, null);
    }

    /**
     * The desired state of each agent the caller speaks for; the others are refused, each with its reason. With
     * {@code since} (a token of an earlier answer): nothing at all, without reading the database, when the state is
     * still that one; only the agents whose desired state differs from what it was under that state otherwise (all
     * of them when this replica no longer knows it).
     */
    Answer of(List<String> agentIds, AgentCaller caller, String since) {
        Optional<RolloutState> state = states.current();
        String token = state.map(RolloutState::fingerprint).orElse(NO_ROLLOUT);
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        List<Refused> refused = new ArrayList<>();
        for (String id : agentIds) {
            if (caller.mayAskFor(id)) {
                unique.add(id);
            }
            else {
                refused.add(new Refused(id, caller.refusal(id, null)));
            }
        }
        if (token.equals(since)) {
            return new Answer(List.of(), List.of(), refused, token, true);
        }
        Optional<Optional<RolloutState>> before = since == null ? Optional.empty()
                : since.equals(NO_ROLLOUT) ? Optional.of(Optional.empty()) : states.seen(since).map(Optional::of);
        Map<String, AgentDirectory.Place> places = directory.find(unique);
        List<Desired> desired = new ArrayList<>(places.size());
        List<String> unknown = new ArrayList<>();
        for (String id : unique) {
            AgentDirectory.Place place = places.get(id);
            if (place == null) {
                unknown.add(id);
                continue;
            }
            String refusal = caller.refusal(id, place.clusterId());
            if (refusal != null) {
                refused.add(new Refused(id, refusal));
                continue;
            }
            Desired now = desired(place, state);
            if (before.isEmpty() || !now.equals(desired(place, before.get()))) {
                desired.add(now);
            }
        }
        lookups.increment(unique.size());
        return new Answer(desired, unknown, refused, token, false);
    }

    private static Desired desired(AgentDirectory.Place place, Optional<RolloutState> state) {
        if (state.isEmpty()) {
            return new Desired(place.agentId(), null, null, false, Map.of(), null);
        }
        RolloutState s = state.get();
        int batch = s.plan().batchOf(place.clusterId(), place.tzOffset(), place.rank());
        String seat = batch < 0 ? null : s.plan().seats().map(signer -> signer.sign(place.agentId(),
                s.plan().stratumIndex(place.clusterId(), place.tzOffset()), place.rank())).orElse(null);
        return new Desired(place.agentId(), s.rolloutId(), batch < 0 ? null : batch + 1, s.activated(batch),
                s.versions(batch), seat);
    }
}
