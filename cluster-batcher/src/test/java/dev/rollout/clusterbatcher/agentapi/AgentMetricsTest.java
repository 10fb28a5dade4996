package dev.rollout.clusterbatcher.agentapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import dev.rollout.clusterbatcher.fleet.FleetFixtures;
import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the alert rules read from cluster-batcher's exposition: the agents of the active batches and those that have
 * acknowledged (the response rate), and the traffic the agents report (the error rate), each acknowledgement once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.application.name=cluster-batcher-metrics") // a context of its own: no scrape before this one's
class AgentMetricsTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theExpositionCarriesTheResponseRateAndTheReportedErrorRateOfTheActiveBatches() {
        Http http = Http.localhost(port);
        FleetFixtures.clear(jdbc);
        UUID rollout = FleetFixtures.oneBatchActive(http, "am-", 4);
        StringBuilder acks = new StringBuilder("agentId,rolloutId,version,status,latencyMs,requests,errors\n");
        for (int i = 0; i < 3; i++) {
            acks.append("am-").append(i).append(',').append(rollout).append(",2.4.0,OK,40,100,").append(i).append('\n');
        }
        String body = acks.toString();
        assertThat(http.post("/agent/v1/acks", "dev-gateway-eu-1", "text/csv", body, Map.of()).status())
                .isEqualTo(200);
        assertThat(http.post("/agent/v1/acks", "dev-gateway-eu-1", "text/csv", body, Map.of()).body())
                .as("a repeat is not counted again").contains("\"accepted\":0");

        String exposition = http.get("/actuator/prometheus", "dev-metrics").body();
        assertThat(exposition).containsPattern("(?m)^rollout_batcher_agents_active\\{[^}]*\\} 4\\.0$")
                .containsPattern("(?m)^rollout_batcher_agents_answered\\{[^}]*\\} 3\\.0$")
                .containsPattern("(?m)^rollout_agent_reported_requests_total\\{[^}]*\\} 300\\.0$")
                .containsPattern("(?m)^rollout_agent_reported_errors_total\\{[^}]*\\} 3\\.0$");
    }
}
