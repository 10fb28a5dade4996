package dev.rollout.starter.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import dev.rollout.starter.test.Http;
import dev.rollout.starter.testapp.SelfCalls;
import dev.rollout.starter.testapp.StarterTestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClientResponseException;

/** A call between services is counted under its route, never under one series a rollout. */
@SpringBootTest(classes = StarterTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = { "rollout.security.mode=DEV", "spring.application.name=starter-test" })
class ServiceClientMetricsTest {

    static final int PORT = SelfCalls.freePort();

    @DynamicPropertySource
    static void self(DynamicPropertyRegistry registry) {
        SelfCalls.register(registry, PORT);
    }

    int port = PORT;

    @Autowired
    ServiceClients clients;

    @Test
    void theUriTagOfACallBetweenServicesIsATemplate() {
        String id = UUID.randomUUID().toString();
        try {
            clients.forService("self").get().uri("/api/widgets/" + Math.abs(id.hashCode()) + "?trace=" + id).retrieve()
                    .toBodilessEntity();
        }
        catch (RestClientResponseException refused) {
            // the SERVICE token may not read widgets: the call is counted all the same
        }
        String metrics = Http.localhost(port).get("/actuator/prometheus", "dev-metrics").body();
        assertThat(metrics).contains("http_client_requests_seconds_count{").contains("uri=\"/api/widgets/{id}\"")
                .doesNotContain(id);
    }
}
