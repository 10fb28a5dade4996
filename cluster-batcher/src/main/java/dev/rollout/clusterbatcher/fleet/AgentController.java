package dev.rollout.clusterbatcher.fleet;

import java.util.Map;
import java.util.TreeMap;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import dev.rollout.starter.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/fleet/agents")
@Tag(name = "Fleet", description = "The registry of clusters and agents, across the 24 hourly time zones")
class AgentController {

    record AgentSpec(@NotBlank @Size(max = 64) String cluster, @NotBlank @Size(max = 64) String region,
            @NotBlank @Size(max = 64) String timeZone, @Size(max = 50) Map<String, String> labels) {
    }

    private final FleetAgents agents;

    AgentController(FleetAgents agents) {
        this.agents = agents;
    }

    @PutMapping("/{agentId}")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE')")
    @Operation(summary = "Register or update one agent (201 when new, 200 when updated)",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE")
    ResponseEntity<FleetAgents.Agent> register(@PathVariable String agentId, @Valid @RequestBody AgentSpec spec) {
        String labels = spec.labels() == null || spec.labels().isEmpty() ? null
                : String.join(";", new TreeMap<>(spec.labels()).entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).toList());
        AgentLine line;
        try {
            line = AgentLine.of(agentId, spec.cluster(), spec.region(), spec.timeZone(), labels);
        }
        catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
        boolean created = agents.register(line);
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(agents.find(agentId).orElseThrow());
    }

    @GetMapping("/{agentId}")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "One agent", description = "Roles: RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER, SERVICE")
    FleetAgents.Agent find(@PathVariable String agentId) {
        return agents.find(agentId).orElseThrow(() -> ProblemException.notFound("Agent", agentId));
    }

    @DeleteMapping("/{agentId}")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE')")
    @Operation(summary = "Deregister one agent", description = "Roles: RELEASE_MANAGER, CI_PIPELINE")
    ResponseEntity<Void> deregister(@PathVariable String agentId) {
        agents.deregister(agentId);
        return ResponseEntity.noContent().build();
    }
}
