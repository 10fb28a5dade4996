package dev.rollout.starter.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.rollout.starter.client.ServiceClients;
import dev.rollout.starter.test.Http;
import dev.rollout.starter.testapp.SelfCalls;
import dev.rollout.starter.testapp.StarterTestApplication;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A W3C {@code traceparent} is taken in by every service and passed on by its calls to the others, and every
 * problem response names the trace ({@code traceId}), whether a controller, an exception handler or a filter
 * (authentication) answered it: what a user quotes and on-call finds in the logs.
 */
@SpringBootTest(classes = StarterTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = { "rollout.security.mode=DEV", "spring.application.name=trace-test" })
class TraceIdTest {

    static final int PORT = SelfCalls.freePort();
    static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    static final Map<String, String> TRACEPARENT = Map.of("traceparent", "00-" + TRACE + "-b7ad6b7169203331-01");
    static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void self(DynamicPropertyRegistry registry) {
        SelfCalls.register(registry, PORT);
    }

    @Autowired
    Tracer tracer;

    @Autowired
    ServiceClients clients;

    @Test
    void aProblemNamesTheCallersTraceWhoeverAnsweredIt() {
        Http http = Http.localhost(PORT);
        Http.Answer notFound = http.get("/api/widgets/7", "dev-viewer", TRACEPARENT);
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(JSON.readTree(notFound.body()).path("traceId").asString()).as("exception handler").isEqualTo(TRACE);

        Http.Answer unauthenticated = http.get("/api/widgets/7", null, TRACEPARENT);
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertThat(JSON.readTree(unauthenticated.body()).path("traceId").asString()).as("a filter").isEqualTo(TRACE);

        Http.Answer own = http.get("/api/widgets/7", "dev-viewer");
        assertThat(JSON.readTree(own.body()).path("traceId").asString()).as("a trace of its own, without traceparent")
                .matches("[0-9a-f]{32}").isNotEqualTo(TRACE);
    }

    @Test
    void aCallToAnotherServiceCarriesTheTraceItIsMadeIn() {
        Span span = tracer.nextSpan().name("reconcile step").start();
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            clients.forService("self").get().uri("/api/widgets/8").retrieve().toBodilessEntity();
            throw new AssertionError("the SERVICE token may not read widgets");
        }
        catch (RestClientResponseException refused) {
            assertThat(refused.getStatusCode().value()).isEqualTo(403);
            assertThat(JSON.readTree(refused.getResponseBodyAsString()).path("traceId").asString())
                    .as("the called service answered within the caller's trace").isEqualTo(span.context().traceId());
        }
        finally {
            span.end();
        }
    }
}
