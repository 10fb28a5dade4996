package dev.rollout.clusterbatcher.agentapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.rollout.clusterbatcher.fleet.FleetFixtures;
import dev.rollout.starter.test.Http;
import org.apache.coyote.AbstractProtocol;
import org.apache.catalina.connector.Connector;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * With {@code rollout.agent-api.port} set, the agent API has a port and threads of its own: each port answers only
 * its own paths, and agents holding every agent thread leave the platform's calls on the main port answered.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rollout.agent-api.port=0", "rollout.agent-api.threads=1" })
class AgentPortTest {

    @LocalServerPort
    int port;

    @Autowired
    AgentConnector connector;

    @Autowired
    WebServerApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    Http main;
    Http agents;
    UUID rollout;

    @BeforeEach
    void setUp() {
        main = Http.localhost(port);
        agents = Http.localhost(connector.localPort());
        FleetFixtures.clear(jdbc);
        rollout = FleetFixtures.oneBatchActive(main, "ap-", 3);
    }

    @Test
    void eachPortAnswersOnlyItsOwnPathsAndNamesTheOtherPort() {
        assertThat(connector.localPort()).isPositive().isNotEqualTo(port);
        Http.Answer desired = agents.get("/agent/v1/agents/ap-1/desired", "dev-agent-ap-1");
        assertThat(desired.status()).isEqualTo(200);
        assertThat(desired.body()).contains("\"versions\":{\"planner\":\"2.4.0\"}");

        Http.Answer onMain = main.get("/agent/v1/agents/ap-1/desired", "dev-agent-ap-1");
        assertThat(onMain.status()).isEqualTo(404);
        assertThat(onMain.header("Content-Type")).startsWith("application/problem+json");
        assertThat(onMain.body()).contains("served on port " + connector.localPort());

        for (String path : new String[] {"/api/rollouts/" + rollout + "/batches", "/actuator/health", "/v3/api-docs"}) {
            Http.Answer control = agents.get(path, "dev-viewer");
            assertThat(control.status()).as(path).isEqualTo(404);
            assertThat(control.body()).contains("serves only the agent API");
        }
        assertThat(main.get("/api/rollouts/" + rollout + "/batches", "dev-viewer").status()).isEqualTo(200);
    }

    @Test
    void agentsHoldingEveryAgentThreadLeaveTheMainPortAnswered() throws Exception {
        AbstractProtocol<?> protocol = agentProtocol();
        assertThat(protocol.getMaxThreads()).isEqualTo(1);
        // an agent that sends its headers and then too little of its body holds the only agent thread while it reads
        try (Socket slow = new Socket("127.0.0.1", connector.localPort())) {
            OutputStream out = slow.getOutputStream();
            out.write(("POST /agent/v1/acks HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer dev-agent-ap-1\r\n"
                    + "Content-Type: text/csv\r\nContent-Length: 4000\r\n\r\nagentId,rolloutId").getBytes(
                            StandardCharsets.US_ASCII));
            out.flush();
            ThreadPoolExecutor pool = (ThreadPoolExecutor) protocol.getExecutor();
            for (int i = 0; i < 500 && pool.getActiveCount() < 1; i++) {
                Thread.sleep(10);
            }
            assertThat(pool.getActiveCount()).as("the slow agent holds the agent thread").isEqualTo(1);

            CompletableFuture<Http.Answer> waiting = CompletableFuture.supplyAsync(
                    () -> agents.get("/agent/v1/agents/ap-2/desired", "dev-agent-ap-2"));
            Http.Answer control = main.get("/api/rollouts/" + rollout + "/batches", "dev-viewer");
            assertThat(control.status()).as("the platform's call on the main port").isEqualTo(200);
            assertThat(waiting).as("the next agent waits for the agent thread").isNotDone();
            assertThat(pool.getActiveCount()).isEqualTo(1);
            slow.close();
            assertThat(waiting.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
    }

    private AbstractProtocol<?> agentProtocol() {
        TomcatWebServer server = (TomcatWebServer) context.getWebServer();
        for (Connector candidate : server.getTomcat().getService().findConnectors()) {
            if (candidate.getLocalPort() == connector.localPort()) {
                return (AbstractProtocol<?>) candidate.getProtocolHandler();
            }
        }
        throw new AssertionError("no connector on the agent port " + connector.localPort());
    }
}
