package dev.rollout.clusterbatcher.scaling;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scaling hook against an HTTP server that answers as the Kubernetes API's scale subresource does. */
class DeploymentScalingTest {

    static final String SCALE = "/apis/apps/v1/namespaces/rollout/deployments/cluster-batcher/scale";

    WireMockServer api;
    DeploymentScaling scaling;

    @BeforeEach
    void start() {
        api = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        api.start();
        scaling = new DeploymentScaling(new ScalingProperties("cluster-batcher", "rollout", api.baseUrl(), 2_000_000L, 2, 8));
    }

    @AfterEach
    void stop() {
        scaling.close();
        api.stop();
    }

    static String scale(int replicas) {
        return """
                {"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"cluster-batcher","namespace":"rollout"},
                 "spec":{"replicas":%d},"status":{"replicas":%d}}""".formatted(replicas, replicas);
    }

    @Test
    void scalesUpToOneReplicaPerTwoMillionActiveAgentsBeforeTheBatch() {
        api.stubFor(any(urlPathEqualTo(SCALE)).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody(scale(5))));
        api.stubFor(get(urlPathEqualTo(SCALE)).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody(scale(2))));

        ScalingHook.Scaled scaled = scaling.beforeActivation(UUID.randomUUID(), 9_000_000);

        assertThat(scaled).isEqualTo(new ScalingHook.Scaled("cluster-batcher", 2, 5));
        LoggedRequest write = api.findAll(anyRequestedFor(urlPathEqualTo(SCALE))).stream()
                .filter(r -> r.getMethod().equals(RequestMethod.PUT) || r.getMethod().equals(RequestMethod.PATCH)).findFirst().orElseThrow();
        assertThat(write.getBodyAsString()).contains("\"replicas\":5");
    }

    @Test
    void neverScalesDownAndStaysWithinTheMaximum() {
        api.stubFor(get(urlPathEqualTo(SCALE)).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody(scale(8))));
        assertThat(scaling.beforeActivation(UUID.randomUUID(), 40_000_000)).isNull();
        assertThat(scaling.beforeActivation(UUID.randomUUID(), 1_000_000)).isNull();
        assertThat(api.findAll(anyRequestedFor(urlPathEqualTo(SCALE)))).allSatisfy(r ->
                assertThat(r.getMethod()).isEqualTo(RequestMethod.GET));
        api.verify(2, getRequestedFor(urlPathEqualTo(SCALE)));
    }

    @Test
    void anApiThatRefusesMakesTheBatchWaitWithTheReason() {
        api.stubFor(get(urlPathEqualTo(SCALE)).willReturn(aResponse().withStatus(403).withHeader("Content-Type",
                "application/json").withBody("{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"forbidden\",\"code\":403}")));
        assertThatThrownBy(() -> scaling.beforeActivation(UUID.randomUUID(), 3_000_000))
                .isInstanceOf(DeploymentScaling.ScalingFailed.class).hasMessageContaining("cluster-batcher");
    }
}
