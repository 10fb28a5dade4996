package dev.rollout.starter.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every operation of a service's OpenAPI document, as every role, against hostile and broken input
 * ({@link HostileInput}). A service's test extends it under its own {@code @SpringBootTest(webEnvironment =
 * RANDOM_PORT)} and names itself. The same test checks that the service serves the OpenAPI document kept for its
 * consumers ({@link PublishedApi}).
 */
public abstract class HostileInputSuite {

    @LocalServerPort
    int port;

    @Autowired
    ObjectProvider<DataSource> dataSource;

    /** The service's name, and (dashes as underscores) its schema. */
    protected abstract String service();

    /** Tables written in the background whatever the request at hand, left out of the no-partial-write check. */
    protected Set<String> bookkeeping() {
        return Set.of();
    }

    @Test
    void noOperationAnswersWithAServerErrorAPartialWriteOrAnythingButAProblem() {
        HostileInput.Report report = new HostileInput(service(), "http://127.0.0.1:" + port, dataSource.getIfAvailable(),
                service().replace('-', '_'), bookkeeping()).run();
        assertThat(report.operations()).isPositive();
        assertThat(report.findings()).as(report.summary()).isEmpty();
        assertThat(report.serverErrors()).isZero();
    }

    /** The OpenAPI document the service serves is the one its consumers' contract tests are checked against. */
    @Test
    void servesTheApiDocumentItsConsumersAreCheckedAgainst() {
        PublishedApi.check(service(), port);
    }
}
