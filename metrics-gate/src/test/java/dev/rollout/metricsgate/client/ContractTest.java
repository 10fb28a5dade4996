package dev.rollout.metricsgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.starter.test.OpenApiContract;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What metrics-gate sends and reads, checked against each provider's OpenAPI document as the repository keeps it
 * (docs/api/; each provider's own test checks that it serves that document): a provider change that breaks
 * metrics-gate fails here.
 */
class ContractTest {

    @ParameterizedTest
    @ValueSource(classes = { ClusterBatcherClient.class, PilotServiceClient.class })
    void holdsAgainstTheProvidersDocument(Class<?> contract) {
        assertThat(OpenApiContract.mismatches(contract)).isEmpty();
    }
}
