package dev.rollout.clusterbatcher.agentapi;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.rollout.starter.web.ProblemWriter;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Where the agent API has a port of its own ({@link AgentConnector}), each port answers only its own paths: the agent
 * port {@code /agent/v1/...} and nothing else, the main port everything but {@code /agent/v1/...}. An agent that
 * calls the main port would take the platform's threads; anything else on the agent port would reach the control
 * plane past the agents' limits. Either is a 404 naming the right port, before anything else is done for the call.
 */
final class AgentPort extends OncePerRequestFilter {

    static final String PREFIX = "/agent/v1/";

    private final AgentConnector connector;
    private final ProblemWriter problems;

    AgentPort(AgentConnector connector, ProblemWriter problems) {
        this.connector = connector;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean agentPort = request.getLocalPort() == connector.localPort();
        boolean agentPath = request.getRequestURI().startsWith(PREFIX);
        if (agentPort == agentPath) {
            chain.doFilter(request, response);
        }
        else if (agentPort) {
            problems.write(request, response, HttpStatus.NOT_FOUND, "Port " + request.getLocalPort()
                    + " serves only the agent API (" + PREFIX + "...); the platform's API is on the service's main port");
        }
        else {
            problems.write(request, response, HttpStatus.NOT_FOUND, "The agent API (" + PREFIX + "...) is served on port "
                    + connector.localPort() + " of this service, not on port " + request.getLocalPort());
        }
    }
}
