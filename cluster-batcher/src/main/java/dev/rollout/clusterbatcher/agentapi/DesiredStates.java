package dev.rollout.clusterbatcher.agentapi;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.rollout.clusterbatcher.activation.RolloutState;
import dev.rollout.clusterbatcher.activation.RolloutStates;
import dev.rollout.starter.security.AgentCaller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;

/** What each agent should run: computed from its place in the fleet and the rollout's state. */
@Service
class DesiredStates {

    record Desired(String agentId, UUID rolloutId, Integer batch, boolean activated, Map<String, String> versions) {
    }

    /** An agent the caller may not ask for, and why. */
    record Refused(String agentId, String reason) {
    }

    record Answer(List<Desired> states, List<String> unknownAgents, List<Refused> refused) {
    }

    private final AgentDirectory directory;
    private final RolloutStates states;
    private final Counter lookups;

    DesiredStates(AgentDirectory directory, RolloutStates states, MeterRegistry meters) {
        this.directory = directory;
        this.states = states;
        this.lookups = Counter.builder("rollout.agent.desired.lookups").description("Agents whose desired state was asked")
                .register(meters);
    }

    /** The desired state of each agent the caller speaks for; the others are refused, each with its reason. */
    Answer of(List<String> agentIds, AgentCaller caller) {
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
        Map<String, AgentDirectory.Place> places = directory.find(unique);
        Optional<RolloutState> state = states.current();
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
            if (state.isEmpty()) {
                desired.add(new Desired(id, null, null, false, Map.of()));
                continue;
            }
            RolloutState s = state.get();
            int batch = s.plan().batchOf(place.clusterId(), place.tzOffset(), place.rank());
            desired.add(new Desired(id, s.rolloutId(), batch < 0 ? null : batch + 1, s.activated(batch), s.versions(batch)));
        }
        lookups.increment(unique.size());
        return new Answer(desired, unknown, refused);
    }
}
