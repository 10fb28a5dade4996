package dev.rollout.rollbackservice.rollback;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The services a rollback calls (phase-engine, cluster-batcher, pilot-service), as one WireMock server for a test class. */
final class ServiceDoubles {

    private ServiceDoubles() {
    }

    /** Started before the class's tests, stopped after them ({@code @RegisterExtension}). */
    static WireMockExtension server() {
        return WireMockExtension.newInstance().options(options().dynamicPort()).build();
    }

    /** Points the service at the doubles ({@code @DynamicPropertySource}). */
    static void register(DynamicPropertyRegistry registry, WireMockExtension services) {
        for (String service : new String[] { "phase-engine", "cluster-batcher", "pilot-service" }) {
            registry.add("rollout.services.urls." + service, services::baseUrl);
        }
    }
}
