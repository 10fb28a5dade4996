package dev.rollout.api.edge;

import dev.rollout.starter.test.HostileInputSuite;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The edge's own operations (its OpenAPI document), as every role, against hostile and broken input; the routes
 * to the services lead nowhere here (the services' own suites cover their operations).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rollout.edge.routes.phase-engine=http://127.0.0.1:9", "rollout.edge.routes.pilot-service=http://127.0.0.1:9",
        "rollout.edge.routes.cluster-batcher=http://127.0.0.1:9", "rollout.edge.routes.metrics-gate=http://127.0.0.1:9",
        "rollout.edge.routes.rollback-service=http://127.0.0.1:9" })
class EdgeHostileInputTest extends HostileInputSuite {

    @Override
    protected String service() {
        return "rollout-api";
    }
}
