package dev.rollout.metricsgate;

import dev.rollout.starter.test.HostileInputSuite;
import org.springframework.boot.test.context.SpringBootTest;

/** Every operation of the service's OpenAPI document, as every role, against hostile and broken input. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileInputTest extends HostileInputSuite {

    @Override
    protected String service() {
        return "metrics-gate";
    }
}
