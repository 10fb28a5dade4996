package dev.rollout.rollbackservice;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.rollout.starter.test.HostileInputSuite;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every operation of the service's OpenAPI document, as every role, against hostile and broken input. The
 * services behind it know no rollout (404), so nothing reaches a saga that would write while the suite runs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileInputTest extends HostileInputSuite {

    static final WireMockServer SERVICES = start();

    static WireMockServer start() {
        WireMockServer server = new WireMockServer(options().dynamicPort());
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no such rollout\"}")));
        return server;
    }

    @DynamicPropertySource
    static void urls(DynamicPropertyRegistry registry) {
        for (String service : new String[] { "phase-engine", "cluster-batcher", "pilot-service" }) {
            registry.add("rollout.services.urls." + service, SERVICES::baseUrl);
        }
    }

    @AfterAll
    static void stop() {
        SERVICES.stop();
    }

    @Override
    protected String service() {
        return "rollback-service";
    }
}
