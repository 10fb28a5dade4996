package dev.rollout.pilotservice.roster;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The pilot roster's required composition, with the plan's numbers as defaults: the Elite 11 from
 * Squadron 4, the Mastery 33 with 11 in each of Wing 1's three squadrons, 44 in all.
 */
@ConfigurationProperties("rollout.pilots.composition")
public record CompositionRules(Integer eliteCount, Integer eliteSquadron, Integer masteryWing,
        List<Integer> masterySquadrons, Integer masteryPerSquadron) {

    public CompositionRules {
        eliteCount = eliteCount == null ? 11 : eliteCount;
        eliteSquadron = eliteSquadron == null ? 4 : eliteSquadron;
        masteryWing = masteryWing == null ? 1 : masteryWing;
        masterySquadrons = masterySquadrons == null || masterySquadrons.isEmpty() ? List.of(1, 2, 3)
                : List.copyOf(masterySquadrons);
        masteryPerSquadron = masteryPerSquadron == null ? 11 : masteryPerSquadron;
    }

    public int total() {
        return eliteCount + masterySquadrons.size() * masteryPerSquadron;
    }
}
