package dev.rollout.pilotservice.roster;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.rollout.starter.web.ProblemException;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The roster: imported whole or edited one pilot at a time, always keeping its required composition. */
@Service
public class Roster {

    private final Pilots pilots;
    private final CompositionRules rules;

    Roster(Pilots pilots, CompositionRules rules) {
        this.pilots = pilots;
        this.rules = rules;
    }

    /** Replaces the roster; refused whole, with every difference, when its composition is wrong. */
    @Transactional
    public List<Pilot> replace(List<Pilot> roster) {
        check(roster);
        pilots.deleteAllInBatch();
        pilots.flush();
        return pilots.saveAll(roster);
    }

    /** Edits or adds one pilot; refused when the roster it leaves breaks the composition. */
    @Transactional
    public Pilot save(Pilot pilot) {
        List<Pilot> after = new ArrayList<>(pilots.findAll().stream().filter(p -> !p.id().equals(pilot.id())).toList());
        after.add(pilot);
        check(after);
        return pilots.save(pilot);
    }

    @Transactional(readOnly = true)
    public List<Pilot> all() {
        return pilots.findAll(Sort.by("group", "wing", "squadron", "id"));
    }

    @Transactional(readOnly = true)
    public Optional<Pilot> find(String id) {
        return pilots.findById(id);
    }

    /** The roster as it stands, refused when it does not have its required composition. */
    @Transactional(readOnly = true)
    public List<Pilot> complete() {
        List<Pilot> roster = all();
        check(roster);
        return roster;
    }

    private void check(List<Pilot> roster) {
        List<String> violations = Composition.violations(roster.stream()
                .map(p -> new Composition.Member(p.id(), p.group(), p.wing(), p.squadron())).toList(), rules);
        if (!violations.isEmpty()) {
            throw ProblemException.unprocessable("The roster does not have its required composition: "
                    + String.join("; ", violations)).with("violations", violations);
        }
    }
}
