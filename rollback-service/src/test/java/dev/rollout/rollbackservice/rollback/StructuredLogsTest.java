package dev.rollout.rollbackservice.rollback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * In containers the services log JSON (Boot's structured logging, ECS): a rollback step's line carries the rollout,
 * the rollback, the step and the trace of the request that asked for the rollback as fields of their own, so that
 * on-call finds them by field across the services.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "logging.structured.format.console=ecs", "rollout.rollback.max-attempts=1", "rollout.rollback.sweep=PT0.1S" })
class StructuredLogsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    static WireMockExtension services = ServiceDoubles.server();

    @BeforeEach
    void stubServices() {
        services.stubFor(get(urlPathMatching("/api/rollouts/[^/]+")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"EXPANSION\"}")));
        services.stubFor(post(urlPathMatching("/api/rollouts/.*/rollback-started")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"ROLLING_BACK\"}")));
        services.stubFor(post(urlPathMatching("/api/rollouts/.*/deactivations")).willReturn(aResponse().withStatus(503)
                .withBody("{\"detail\":\"database failover in progress\"}")));
    }

    @DynamicPropertySource
    static void urls(DynamicPropertyRegistry registry) {
        ServiceDoubles.register(registry, services);
    }

    @LocalServerPort
    int port;

    @Test
    void aFailedRollbackStepsLineNamesTheRolloutTheRollbackAndTheStepAsFields(CapturedOutput output) throws Exception {
        Http http = Http.localhost(port);
        UUID rollout = UUID.randomUUID();
        String trace = "7bf92f3577b34da6a3ce929d0e0e4736";
        Http.Answer started = http.post("/api/rollbacks", "dev-on-call", "application/json", "{\"rolloutId\":\""
                + rollout + "\",\"scope\":\"FULL\",\"reason\":\"security vulnerability\"}",
                Map.of("traceparent", "00-" + trace + "-00f067aa0ba902b7-01"));
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String rollback = JSON.readTree(started.body()).get("rollback").get("id").asString();

        JsonNode failed = null;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (failed == null && Instant.now().isBefore(deadline)) {
            failed = lines(output).stream().filter(l -> l.path("message").asString("").contains("step REVERT_AGENTS failed"))
                    .findFirst().orElse(null);
            Thread.sleep(50);
        }
        assertThat(failed).as("the failed step's line, as JSON").isNotNull();
        assertThat(failed.path("log").path("level").asString()).isEqualTo("WARN");
        assertThat(field(failed, "rollout.id")).isEqualTo(rollout.toString());
        assertThat(field(failed, "rollback.id")).isEqualTo(rollback);
        assertThat(field(failed, "rollout.step")).isEqualTo("REVERT_AGENTS");
        String traceId = field(failed, "traceId") != null ? field(failed, "traceId") : field(failed, "trace.id");
        assertThat(traceId).as("the trace of the request that asked for the rollback").isEqualTo(trace);
    }

    /** The JSON lines of the output (Boot's own banner and the test framework's lines are not JSON). */
    static List<JsonNode> lines(CapturedOutput output) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.getOut().split("\n")) {
            if (line.startsWith("{")) {
                try {
                    lines.add(JSON.readTree(line));
                }
                catch (RuntimeException partial) {
                    // a line still being written
                }
            }
        }
        return lines;
    }

    /** A field as ECS nests it ({@code rollout.id} as {@code {"rollout": {"id": ...}}}) or as a flat member. */
    static String field(JsonNode line, String name) {
        JsonNode flat = line.get(name);
        return flat != null ? flat.asString() : line.at("/" + name.replace('.', '/')).asString(null);
    }
}
