package dev.rollout.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.starter.test.OpenApiContract;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the console sends and reads, checked against each provider's OpenAPI document as the repository keeps it
 * (docs/api/; each provider's own test checks that it serves that document): a provider change that breaks
 * the console fails here.
 */
class ContractTest {

    @ParameterizedTest
    @ValueSource(classes = { PhaseEngineClient.class, ClusterBatcherClient.class, MetricsGateClient.class,
            RollbackServiceClient.class })
    void holdsAgainstTheProvidersDocument(Class<?> contract) {
        assertThat(OpenApiContract.mismatches(contract)).isEmpty();
    }
}
