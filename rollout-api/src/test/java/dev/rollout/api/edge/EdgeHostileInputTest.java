package dev.rollout.api.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import dev.rollout.starter.test.HostileInput;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The edge's own operations (its OpenAPI document), as every role, against hostile and broken input; the routes
 * to the services lead nowhere here (the services' own suites cover their operations).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rollout.edge.routes.phase-engine=http://127.0.0.1:9", "rollout.edge.routes.pilot-service=http://127.0.0.1:9",
        "rollout.edge.routes.cluster-batcher=http://127.0.0.1:9", "rollout.edge.routes.metrics-gate=http://127.0.0.1:9",
        "rollout.edge.routes.rollback-service=http://127.0.0.1:9" })
class EdgeHostileInputTest {

    @LocalServerPort
    int port;

    @Test
    void noOperationOfTheEdgeAnswersWithAServerErrorOrAnythingButAProblem() {
        HostileInput.Report report = new HostileInput("rollout-api", "http://127.0.0.1:" + port, null, null, Set.of()).run();
        assertThat(report.operations()).isGreaterThanOrEqualTo(1);
        assertThat(report.findings()).isEmpty();
        assertThat(report.serverErrors()).isZero();
    }
}
