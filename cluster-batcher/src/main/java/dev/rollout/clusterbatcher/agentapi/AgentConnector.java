package dev.rollout.clusterbatcher.agentapi;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * The agent API on a port of its own, served by threads of its own: a Tomcat connector beside the service's main one
 * with at most {@code threads} request threads and an accept queue of {@code acceptCount}. However many agents call
 * and however fast, they hold at most those threads (and so at most that many cores and database connections); the
 * platform's own calls to this service (the edge's reads, the reconcile loop's activations) arrive on the main port,
 * whose threads the agents never reach. Past the threads, connections wait in the accept queue and then in the
 * kernel's backlog: an agent sees a slower answer or a refused connection, and retries with backoff (docs/agents.md).
 * {@link AgentPort} keeps each port to its own paths.
 * <p>
 * The connector gets Boot's connector customizers ({@code server.tomcat.*}), the main connector's address and URI
 * encoding, then its own thread limits; not the protocol handler customizers, one of which would hand it the main
 * connector's executor (virtual threads) and with it the isolation.
 */
final class AgentConnector implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private final int port;
    private final int threads;
    private final int acceptCount;
    private volatile Connector connector;

    AgentConnector(int port, int threads, int acceptCount) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("rollout.agent-api.port must be 0-65535 (0: any free port), not " + port);
        }
        if (threads < 1 || acceptCount < 1) {
            throw new IllegalArgumentException("rollout.agent-api.threads and .accept-count must be at least 1, not "
                    + threads + " and " + acceptCount);
        }
        this.port = port;
        this.threads = threads;
        this.acceptCount = acceptCount;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        Connector agents = new Connector(factory.getProtocol());
        agents.setPort(port);
        agents.setThrowOnFailure(true);
        agents.setURIEncoding(factory.getUriEncoding().name());
        for (TomcatConnectorCustomizer customizer : factory.getConnectorCustomizers()) {
            customizer.customize(agents);
        }
        if (!(agents.getProtocolHandler() instanceof AbstractProtocol<?> protocol)) {
            throw new IllegalStateException("The agent API's connector needs a Tomcat protocol with a thread pool, not "
                    + agents.getProtocolHandler().getClass().getName());
        }
        if (factory.getAddress() != null) {
            protocol.setAddress(factory.getAddress());
        }
        protocol.setMaxThreads(threads);
        protocol.setMinSpareThreads(Math.min(threads, protocol.getMinSpareThreads()));
        protocol.setAcceptCount(acceptCount);
        factory.addAdditionalConnectors(agents);
        this.connector = agents;
    }

    /** After Boot's own customizers, whose connector settings the agent connector takes over. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    int threads() {
        return threads;
    }

    /** The port the agent API listens on once the server runs; -1 before. */
    int localPort() {
        Connector agents = connector;
        return agents == null ? -1 : agents.getLocalPort();
    }
}
