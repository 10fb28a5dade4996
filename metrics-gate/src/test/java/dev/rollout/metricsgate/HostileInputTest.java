package dev.rollout.metricsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import javax.sql.DataSource;

import dev.rollout.starter.test.HostileInput;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Every operation of the service's OpenAPI document, as every role, against hostile and broken input. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileInputTest {

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Test
    void noOperationAnswersWithAServerErrorAPartialWriteOrAnythingButAProblem() {
        HostileInput.Report report = new HostileInput("metrics-gate", "http://127.0.0.1:" + port, dataSource,
                "metrics_gate", Set.of()).run();
        assertThat(report.operations()).isGreaterThanOrEqualTo(10);
        assertThat(report.findings()).isEmpty();
        assertThat(report.serverErrors()).isZero();
    }
}
