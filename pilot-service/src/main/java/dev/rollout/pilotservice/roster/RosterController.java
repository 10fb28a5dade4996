package dev.rollout.pilotservice.roster;

import java.util.List;

import dev.rollout.starter.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.data.domain.Sort;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/pilots")
@Tag(name = "Pilot roster", description = "The 44 pilots of Phase 2: Elite 11 and Mastery 33")
@Transactional(readOnly = true)
class RosterController {

    record PilotView(String id, String name, String contact, PilotGroup group, int wing, int squadron) {
        static PilotView of(Pilot p) {
            return new PilotView(p.id(), p.name(), p.contact(), p.group(), p.wing(), p.squadron());
        }
    }

    private final Pilots pilots;

    RosterController(Pilots pilots) {
        this.pilots = pilots;
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','VIEWER','SERVICE')")
    @Operation(summary = "The roster, by group, wing and squadron", description = "Roles: RELEASE_MANAGER, VIEWER, SERVICE")
    List<PilotView> roster() {
        return pilots.findAll(Sort.by("group", "wing", "squadron", "id")).stream().map(PilotView::of).toList();
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','VIEWER','SERVICE') or (hasRole('PILOT') and #id == authentication.name)")
    @Operation(summary = "One pilot (a pilot may read itself)", description = "Roles: RELEASE_MANAGER, VIEWER, SERVICE; PILOT for itself")
    PilotView pilot(@PathVariable String id) {
        return pilots.findById(id).map(PilotView::of).orElseThrow(() -> ProblemException.notFound("Pilot", id));
    }
}
