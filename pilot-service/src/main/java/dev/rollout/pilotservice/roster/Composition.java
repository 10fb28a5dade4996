package dev.rollout.pilotservice.roster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks a roster against the composition rules and names every difference. */
final class Composition {

    /** A pilot as the check sees it. */
    record Member(String id, PilotGroup group, int wing, int squadron) {
    }

    private Composition() {
    }

    static List<String> violations(List<Member> roster, CompositionRules rules) {
        List<String> violations = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Member m : roster) {
            if (!ids.add(m.id())) {
                violations.add("Pilot " + m.id() + " is listed more than once");
            }
        }
        long elite = roster.stream().filter(m -> m.group() == PilotGroup.ELITE_11).count();
        roster.stream().filter(m -> m.group() == PilotGroup.ELITE_11 && m.squadron() != rules.eliteSquadron())
                .forEach(m -> violations.add("Elite pilot " + m.id() + " is in Wing " + m.wing() + " Squadron "
                        + m.squadron() + "; the Elite pilots come from Squadron " + rules.eliteSquadron()));
        if (elite != rules.eliteCount()) {
            violations.add("Squadron " + rules.eliteSquadron() + " has " + elite + " Elite pilots, needs "
                    + rules.eliteCount());
        }
        for (int squadron : rules.masterySquadrons()) {
            long count = roster.stream().filter(m -> m.group() == PilotGroup.MASTERY_33 && m.wing() == rules.masteryWing()
                    && m.squadron() == squadron).count();
            if (count != rules.masteryPerSquadron()) {
                violations.add("Wing " + rules.masteryWing() + " Squadron " + squadron + " has " + count
                        + " Mastery pilots, needs " + rules.masteryPerSquadron());
            }
        }
        roster.stream().filter(m -> m.group() == PilotGroup.MASTERY_33
                && (m.wing() != rules.masteryWing() || !rules.masterySquadrons().contains(m.squadron())))
                .forEach(m -> violations.add("Mastery pilot " + m.id() + " is in Wing " + m.wing() + " Squadron "
                        + m.squadron() + "; the Mastery pilots come from Wing " + rules.masteryWing() + " Squadrons "
                        + rules.masterySquadrons()));
        if (roster.size() != rules.total()) {
            violations.add("The roster has " + roster.size() + " pilots, needs " + rules.total());
        }
        return violations;
    }
}
