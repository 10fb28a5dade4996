package dev.rollout.pilotservice.roster;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.rollout.starter.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/pilots")
@Tag(name = "Pilot roster", description = "The 44 pilots of Phase 2: Elite 11 and Mastery 33")
class RosterController {

    record PilotView(String id, String name, String contact, PilotGroup group, int wing, int squadron) {
        static PilotView of(Pilot p) {
            return new PilotView(p.id(), p.name(), p.contact(), p.group(), p.wing(), p.squadron());
        }
    }

    record PilotSpec(@NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,64}") String id, @NotBlank @Size(max = 200) String name,
            @NotBlank @Email @Size(max = 200) String contact, @NotNull PilotGroup group,
            @NotNull @Min(1) @Max(99) Integer wing, @NotNull @Min(1) @Max(99) Integer squadron) {

        Pilot toPilot() {
            return new Pilot(id, name, contact, group, wing, squadron);
        }
    }

    record PilotEdit(@NotBlank @Size(max = 200) String name, @NotBlank @Email @Size(max = 200) String contact,
            @NotNull PilotGroup group, @NotNull @Min(1) @Max(99) Integer wing, @NotNull @Min(1) @Max(99) Integer squadron) {
    }

    private final Roster roster;

    RosterController(Roster roster) {
        this.roster = roster;
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','VIEWER','SERVICE')")
    @Operation(summary = "The roster, by group, wing and squadron", description = "Roles: RELEASE_MANAGER, VIEWER, SERVICE")
    List<PilotView> roster() {
        return roster.all().stream().map(PilotView::of).toList();
    }

    @PutMapping
    @PreAuthorize("hasRole('RELEASE_MANAGER')")
    @Operation(summary = "Import the whole roster (all or nothing)",
            description = "Roles: RELEASE_MANAGER. Refused with 422 and every difference when the composition is not "
                    + "11 Elite pilots from Squadron 4 and 11 Mastery pilots in each of Wing 1's three squadrons.")
    List<PilotView> replace(@Valid @RequestBody @NotEmpty @Size(max = 1000) List<@Valid @NotNull PilotSpec> pilots) {
        return roster.replace(pilots.stream().map(PilotSpec::toPilot).toList()).stream().map(PilotView::of).toList();
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','VIEWER','SERVICE') or (hasRole('PILOT') and #id == authentication.name)")
    @Operation(summary = "One pilot (a pilot may read itself)", description = "Roles: RELEASE_MANAGER, VIEWER, SERVICE; PILOT for itself")
    PilotView pilot(@PathVariable String id) {
        return roster.find(id).map(PilotView::of).orElseThrow(() -> ProblemException.notFound("Pilot", id));
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasRole('RELEASE_MANAGER')")
    @Operation(summary = "Edit one pilot; refused when the roster would lose its composition",
            description = "Roles: RELEASE_MANAGER")
    PilotView edit(@PathVariable String id, @Valid @RequestBody PilotEdit edit) {
        roster.find(id).orElseThrow(() -> ProblemException.notFound("Pilot", id));
        return PilotView.of(roster.save(new Pilot(id, edit.name(), edit.contact(), edit.group(), edit.wing(),
                edit.squadron())));
    }
}
