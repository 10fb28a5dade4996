package dev.rollout.clusterbatcher.agentapi;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.rollout.starter.security.AgentCaller;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's poll, {@code GET /agent/v1/agents/{agentId}/desired}, most of all the calls the platform receives,
 * answered where it costs least: just after the caller is authenticated and rate-limited, before Spring MVC's
 * dispatch (a third to a half of such a call's time, measured: docs/benchmarks.md). It answers exactly what
 * {@link AgentApiController#one} answers when that answer is a success: 304 with the current {@code ETag} from
 * memory, or 200 with the agent's desired state (the same JSON, written by the same mapper) and its {@code ETag}.
 * Anything else, a refusal, an unknown agent, an unusual path, an Accept without JSON, goes on to the controller,
 * which answers it (and which documents the endpoint). {@code rollout.agent-api.early-polls=false} sends every poll
 * to the controller.
 */
final class AgentPolls extends OncePerRequestFilter {

    static final String PATTERN = "/agent/v1/agents/{agentId}/desired";
    private static final String PREFIX = "/agent/v1/agents/";
    private static final String SUFFIX = "/desired";

    private final DesiredStates desired;
    private final JsonMapper json;

    AgentPolls(DesiredStates desired, JsonMapper json) {
        this.desired = desired;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return !"GET".equals(request.getMethod()) || !uri.startsWith(PREFIX) || !uri.endsWith(SUFFIX)
                || request.getQueryString() != null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String uri = request.getRequestURI();
        String agentId = uri.substring(PREFIX.length(), Math.max(PREFIX.length(), uri.length() - SUFFIX.length()));
        AgentCaller who = AgentCaller.of(SecurityContextHolder.getContext().getAuthentication());
        if (!plain(agentId) || who.kind() == AgentCaller.Kind.NONE || !who.mayAskFor(agentId)) {
            chain.doFilter(request, response); // refused (or read) by the controller
            return;
        }
        String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
        String token = desired.token();
        if (ifNoneMatch != null && AgentApiController.matches(ifNoneMatch, token)) {
            answered(request, response, HttpServletResponse.SC_NOT_MODIFIED, token);
            return;
        }
        if (!acceptsJson(request.getHeader(HttpHeaders.ACCEPT))) {
            chain.doFilter(request, response); // the controller negotiates (406 when JSON is not acceptable)
            return;
        }
        DesiredStates.Answer answer = desired.of(List.of(agentId), who);
        if (!answer.refused().isEmpty() || answer.states().isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = json.writeValueAsBytes(answer.states().get(0));
        answered(request, response, HttpServletResponse.SC_OK, answer.token());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static void answered(HttpServletRequest request, HttpServletResponse response, int status, String token) {
        ServerHttpObservationFilter.findObservationContext(request).ifPresent(c -> c.setPathPattern(PATTERN));
        response.setStatus(status);
        response.setHeader(HttpHeaders.ETAG, "\"" + token + "\"");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    }

    /** No Accept header, or one that names JSON or any type: what agents send. */
    private static boolean acceptsJson(String accept) {
        return accept == null || accept.isEmpty() || accept.contains("application/json") || accept.contains("*/*")
                || accept.contains("application/*");
    }

    /** An id as the controller would read it: not empty, one path segment, nothing encoded. */
    private static boolean plain(String agentId) {
        if (agentId.isEmpty() || agentId.length() > 128) {
            return false;
        }
        for (int i = 0; i < agentId.length(); i++) {
            char c = agentId.charAt(i);
            if (c == '/' || c == '%' || c == ';' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
