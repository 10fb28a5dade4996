package dev.rollout.clusterbatcher.batches;

import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@Tag(name = "Batches", description = "A plan's batches: who is in them, whether they are active, how they behave")
class BatchController {

    private static final String ORDER = " The agents come in a fixed order for the frozen plan: by registration rank within their stratum,"
            + " then stratum (clusters and time zones of more agents first), so page n is the same page whenever"
            + " it is asked for; an agent that left its place since the plan was frozen is not listed, and its"
            + " page is that much shorter.";
    private static final String SIZES = " Up to 10,000 agents a page as JSON, up to 100,000 as CSV (Accept: text/csv;"
            + " about 10 MB with seats).";
    private static final String SEATS = " With seats=true, each agent also carries its seat: where it sits in the"
            + " frozen plan, signed by the platform, to be sent back with its acknowledgement (the agent API then"
            + " places it without looking it up; 409 for a closed plan, or one frozen before plans signed seats).";

    private final BatchViews views;

    BatchController(BatchViews views) {
        this.views = views;
    }

    @GetMapping("/api/rollouts/{rolloutId}/batches")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "Every batch of the plan: agents by time zone and cluster, activation",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER, SERVICE. With health=true, every batch"
                    + " activated so far also carries its health, as GET .../batches/{number} answers it.")
    BatchViews.Plan batches(@PathVariable UUID rolloutId, @RequestParam(defaultValue = "false") boolean health) {
        return views.plan(rolloutId, health);
    }

    @GetMapping("/api/rollouts/{rolloutId}/batches/{number}")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "One batch with its health: response rate, error rate, latency, time zones heard from, integrity",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER, SERVICE. health.activated counts the batch's"
                    + " agents as the plan froze them, less health.departed: those that moved to another stratum or were"
                    + " deregistered since; the response rate is acknowledged / activated.")
    BatchViews.Batch batch(@PathVariable UUID rolloutId, @PathVariable int number) {
        return views.batch(rolloutId, number);
    }

    @GetMapping("/api/rollouts/{rolloutId}/batches/{number}/agents")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "The agents of one batch, paged", description = "Roles: RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER,"
            + " SERVICE." + SIZES + ORDER + SEATS)
    BatchViews.AgentPage agents(@PathVariable UUID rolloutId, @PathVariable int number,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "100") @Min(1) @Max(10_000) int size,
            @RequestParam(defaultValue = "false") boolean seats) {
        return views.agents(rolloutId, number, page, size, true, seats);
    }

    /**
     * Agents a CSV page holds at most. A batch of 1,000,000 is then listed in 10 calls rather than 100: through the
     * edge each call cost ~4 ms of the edge's processor time whatever its size, as much as cluster-batcher's own work
     * for a page of 10,000 (docs/benchmarks.md).
     */
    static final int MAX_CSV_PAGE = 100_000;

    /**
     * The same page as CSV (RFC 4180, the fleet import's columns, so a batch exported is a file to import),
     * for tools that page through a batch of 1,000,000: a tenth of the bytes of the JSON, and pages up to
     * {@link #MAX_CSV_PAGE}. The batch's total is in {@code X-Total-Count}.
     */
    @GetMapping(path = "/api/rollouts/{rolloutId}/batches/{number}/agents", produces = "text/csv")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "The agents of one batch, paged, as CSV (Accept: text/csv)",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER, SERVICE." + SIZES
                    + " The batch's total in X-Total-Count." + ORDER + SEATS + " The seat is then a fifth column, seat.")
    ResponseEntity<byte[]> agentsCsv(@PathVariable UUID rolloutId, @PathVariable int number,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "100") @Min(1) @Max(MAX_CSV_PAGE) int size,
            @RequestParam(defaultValue = "false") boolean seats) {
        BatchViews.CsvPage agents = views.agentsCsv(rolloutId, number, page, size, seats);
        return ResponseEntity.ok().header("X-Total-Count", String.valueOf(agents.totalAgents()))
                .contentType(MediaType.parseMediaType("text/csv;charset=UTF-8")).body(agents.csv());
    }
}
