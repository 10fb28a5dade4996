package dev.rollout.clusterbatcher.agentapi;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

import dev.rollout.starter.security.AgentCaller;
import dev.rollout.starter.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Agent API", description = "Fleet-scale: agents ask what to run and report what they did (also served without the edge)")
class AgentApiController {

    static final int MAX_ITEMS = 10_000;

    /** {@code since}: the token of an earlier answer, to be told only what changed since. */
    record DesiredRequest(@NotEmpty @Size(max = MAX_ITEMS) @AgentIds(max = 128) List<String> agentIds,
            @Size(max = 64) String since) {
    }

    /**
     * One acknowledgement or heartbeat; checked item by item, so that one bad item never loses the others.
     * {@code seat}: optional, the signed seat the agent was given with its desired state (or its batch's listing).
     */
    record AckItem(String agentId, UUID rolloutId, String version, AckIngest.Status status, Integer latencyMs,
            Long requests, Long errors, String seat) {
    }

    record AckRequest(@NotEmpty @Size(max = MAX_ITEMS) List<AckItem> acks) {
    }

    private final DesiredStates desired;
    private final AckIngest acks;

    AgentApiController(DesiredStates desired, AckIngest acks) {
        this.desired = desired;
        this.acks = acks;
    }

    @GetMapping("/agent/v1/agents/{agentId}/desired")
    @PreAuthorize("hasAnyRole('AGENT','AGENT_GATEWAY','SERVICE')")
    @Operation(summary = "The desired state of one agent: the rollout in progress and the version of each component",
            description = "Roles: AGENT (itself only), AGENT_GATEWAY (the agents of its clusters), SERVICE. Carries an "
                    + "ETag: sent back in If-None-Match it is answered 304, from memory, while nothing the agent's state "
                    + "depends on has changed.")
    ResponseEntity<DesiredStates.Desired> one(@PathVariable String agentId,
            @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch, Authentication caller) {
        AgentCaller who = AgentCaller.of(caller);
        if (!who.mayAskFor(agentId)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "Not answered for agent " + agentId + ": "
                    + who.refusal(agentId, null));
        }
        if (ifNoneMatch != null && matches(ifNoneMatch, desired.token())) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(desired.token())
                    .cacheControl(CacheControl.noCache()).build();
        }
        DesiredStates.Answer answer = desired.of(List.of(agentId), who);
        if (!answer.refused().isEmpty()) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "Not answered for agent " + agentId + ": "
                    + answer.refused().get(0).reason());
        }
        if (answer.states().isEmpty()) {
            throw ProblemException.notFound("Agent", agentId);
        }
        return ResponseEntity.ok().eTag(answer.token()).cacheControl(CacheControl.noCache()).body(answer.states().get(0));
    }

    /**
     * Whether an If-None-Match header names this entity tag (weak or strong, in a list, or {@code *}); read in place,
     * as it is on every poll.
     */
    static boolean matches(String ifNoneMatch, String token) {
        int length = ifNoneMatch.length();
        int start = 0;
        while (start <= length) {
            int end = ifNoneMatch.indexOf(',', start);
            if (end < 0) {
                end = length;
            }
            int from = start;
            int to = end;
            while (from < to && Character.isWhitespace(ifNoneMatch.charAt(from))) {
                from++;
            }
            while (to > from && Character.isWhitespace(ifNoneMatch.charAt(to - 1))) {
                to--;
            }
            if (to - from >= 2 && ifNoneMatch.startsWith("W/", from)) {
                from += 2;
            }
            if (to - from == 1 && ifNoneMatch.charAt(from) == '*') {
                return true;
            }
            if (to - from == token.length() + 2 && ifNoneMatch.charAt(from) == '"' && ifNoneMatch.charAt(to - 1) == '"'
                    && ifNoneMatch.regionMatches(from + 1, token, 0, token.length())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    @PostMapping("/agent/v1/desired")
    @PreAuthorize("hasAnyRole('AGENT','AGENT_GATEWAY','SERVICE')")
    @Operation(summary = "The desired state of up to 10,000 agents in one call; unknown ids are listed apart, and so "
            + "are the agents the caller does not speak for (refused, with the reason). The answer's token, sent back "
            + "as since, makes the next answer hold only the agents whose state changed (none, from memory, while "
            + "nothing changed: unchanged true)",
            description = "Roles: AGENT (itself only), AGENT_GATEWAY (the agents of its clusters), SERVICE")
    DesiredStates.Answer many(@Valid @RequestBody DesiredRequest request, Authentication caller) {
        return desired.of(request.agentIds(), AgentCaller.of(caller), request.since());
    }

    @PostMapping(path = "/agent/v1/acks", consumes = "text/csv")
    @PreAuthorize("hasAnyRole('AGENT','AGENT_GATEWAY','SERVICE')")
    @Operation(summary = "Acknowledgements as CSV, the bulk format for agent gateways (up to 10,000 lines)",
            description = "Roles: AGENT (itself only), AGENT_GATEWAY (the agents of its clusters), SERVICE. Header agentId,rolloutId,version,status,latencyMs,requests,errors, "
                    + "optionally followed by ,seat; the same rules as the JSON form; a rejected line is reported by its index (0 = first line after the header).")
    AckIngest.Result ackCsv(@RequestBody String body, Authentication caller) {
        return acks.ingest(AckCsv.parse(body, MAX_ITEMS), AgentCaller.of(caller));
    }

    @PostMapping(path = "/agent/v1/acks", consumes = "application/json")
    @PreAuthorize("hasAnyRole('AGENT','AGENT_GATEWAY','SERVICE')")
    @Operation(summary = "Acknowledgements and heartbeats, up to 10,000 per call, durable before the answer",
            description = "Roles: AGENT (itself only), AGENT_GATEWAY (the agents of its clusters), SERVICE; an item "
                    + "for an agent the caller does not speak for is rejected by index. A repeated acknowledgement (same rollout, agent and version) counts "
                    + "once. Unknown agents or rollouts are rejected by index; acknowledgements from agents outside the "
                    + "activated set, for another version or after the rollout's plan was closed are kept as integrity "
                    + "findings, never merged. An item may carry its agent's seat as the desired state (or the batch's "
                    + "listing with seats=true) gave it: it is then placed by its seat, without a lookup among the "
                    + "fleet's agents (while no agent of its batch has left its place); a seat that was not given to "
                    + "that agent in that rollout is rejected by index.")
    AckIngest.Result ack(@Valid @RequestBody AckRequest request, Authentication caller) {
        return acks.ingest(request.acks().stream().map(a -> a == null ? null : new AckIngest.Ack(a.agentId(), a.rolloutId(),
                a.version(), a.status(), a.latencyMs() == null ? -1 : a.latencyMs(),
                a.requests() == null ? 0 : a.requests(), a.errors() == null ? 0 : a.errors(), a.seat())).toList(),
                AgentCaller.of(caller));
    }
}
