package dev.rollout.phaseengine;

import java.util.Set;

import dev.rollout.starter.test.HostileInputSuite;
import org.springframework.boot.test.context.SpringBootTest;

/** Every operation of the service's OpenAPI document, as every role, against hostile and broken input. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileInputTest extends HostileInputSuite {

    @Override
    protected String service() {
        return "phase-engine";
    }

    /** Webhook deliveries are attempted in the background, whatever the request at hand. */
    @Override
    protected Set<String> bookkeeping() {
        return Set.of("delivery");
    }
}
