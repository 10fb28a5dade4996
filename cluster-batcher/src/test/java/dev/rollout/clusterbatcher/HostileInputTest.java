package dev.rollout.clusterbatcher;

import java.util.Set;

import dev.rollout.starter.test.HostileInputSuite;
import org.springframework.boot.test.context.SpringBootTest;

/** Every operation of the service's OpenAPI document, as every role, against hostile and broken input. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // the corpus sends thousands of calls as the same agent: past its rate limit they would all be 429s
        "rollout.agent-api.rate-limit.per-identity=1000000", "rollout.agent-api.rate-limit.per-instance=1000000" })
class HostileInputTest extends HostileInputSuite {

    @Override
    protected String service() {
        return "cluster-batcher";
    }

    /** An import refused while its body arrives is recorded as FAILED, with the reason (by design). */
    @Override
    protected Set<String> bookkeeping() {
        return Set.of("fleet_import");
    }
}
