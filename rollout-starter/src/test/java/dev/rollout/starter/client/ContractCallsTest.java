package dev.rollout.starter.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rollout.starter.security.RolloutSecurityProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.client.RestClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;

/**
 * A call through a contract: typed both ways, retried only when asking twice does it once, a refusal never retried
 * nor counted against the service, an open circuit not called at all, and every failure one exception that names the
 * service and the operation.
 */
class ContractCallsTest {

    interface Widgets {

        record Widget(String name, int size) {
        }

        @GetExchange("/widgets/{name}")
        Widget widget(@PathVariable String name);

        @PostExchange("/widgets")
        Widget create(@RequestBody Widget widget);

        @PostExchange("/widgets")
        Widget createOnce(@RequestBody Widget widget, @RequestHeader("Idempotency-Key") String key);
    }

    HttpServer server;
    final AtomicInteger status = new AtomicInteger(200);
    final List<String> requests = new CopyOnWriteArrayList<>();
    ServiceClients clients;
    CircuitBreakerRegistry breakers;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/", this::answer);
        server.start();
        breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom().slidingWindowSize(4).minimumNumberOfCalls(4)
                .failureRateThreshold(50).waitDurationInOpenState(Duration.ofMinutes(1)).build());
        RetryRegistry retries = RetryRegistry.of(RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(1))
                .build());
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("breakers", breakers);
        beans.addBean("retries", retries);
        clients = new ServiceClients(RestClient.builder(), new ServiceClientProperties(Map.of("widgets",
                "http://127.0.0.1:" + server.getAddress().getPort()), null, null),
                new RolloutSecurityProperties(RolloutSecurityProperties.Mode.DEV, null, null, null, null, null, "", null),
                beans.getBeanProvider(CircuitBreakerRegistry.class), beans.getBeanProvider(RetryRegistry.class));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body + " "
                + exchange.getRequestHeaders().getFirst("Authorization"));
        int code = status.get();
        byte[] answer = (code == 200 ? "{\"name\":\"gear\",\"size\":3,\"colour\":\"red\"}"
                : "{\"title\":\"nope\",\"detail\":\"no such widget\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", code == 200 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(code, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    @Test
    void aCallSendsAndReadsRecordsWithTheServiceToken() {
        Widgets widgets = clients.contract("widgets", Widgets.class);
        // the provider may answer with more than the consumer reads (colour): a tolerant reader of its own answer
        assertThat(widgets.create(new Widgets.Widget("gear", 3))).isEqualTo(new Widgets.Widget("gear", 3));
        assertThat(requests).containsExactly("POST /widgets {\"name\":\"gear\",\"size\":3} Bearer dev-service");
    }

    @Test
    void aServerErrorIsRetriedOnlyWhenAskingAgainDoesItOnce() {
        Widgets widgets = clients.contract("widgets", Widgets.class);
        status.set(503);
        assertThatThrownBy(() -> widgets.widget("gear")).isInstanceOfSatisfying(ServiceCallFailed.class, e -> {
            assertThat(e.service()).isEqualTo("widgets");
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.refused()).isFalse();
            assertThat(e.getMessage()).isEqualTo("widgets answered 503 to GET /widgets/{name}: "
                    + "{\"title\":\"nope\",\"detail\":\"no such widget\"}");
        });
        assertThat(requests).as("a GET: three attempts").hasSize(3);
        requests.clear();
        assertThatThrownBy(() -> widgets.createOnce(new Widgets.Widget("gear", 3), "k-1"))
                .isInstanceOf(ServiceCallFailed.class);
        assertThat(requests).as("a POST with an Idempotency-Key: three attempts").hasSize(3);
        requests.clear();
        assertThatThrownBy(() -> widgets.create(new Widgets.Widget("gear", 3))).isInstanceOf(ServiceCallFailed.class);
        assertThat(requests).as("a POST without one: once").hasSize(1);
    }

    @Test
    void aRefusalIsAnAnswerNeitherRetriedNorCountedAgainstTheService() {
        Widgets widgets = clients.contract("widgets", Widgets.class);
        status.set(404);
        for (int i = 0; i < 6; i++) {
            assertThatThrownBy(() -> widgets.widget("gear")).isInstanceOfSatisfying(ServiceCallFailed.class, e -> {
                assertThat(e.notFound()).isTrue();
                assertThat(e.refused()).isTrue();
                assertThat(e.getMessage()).startsWith("widgets refused GET /widgets/{name} with 404: ");
            });
        }
        assertThat(requests).as("each asked once").hasSize(6);
        assertThat(breakers.circuitBreaker("widgets").getState().name()).isEqualTo("CLOSED");
    }

    @Test
    void anOpenCircuitIsNotCalledAtAllAndSaysSo() {
        Widgets widgets = clients.contract("widgets", Widgets.class);
        status.set(500);
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> widgets.create(new Widgets.Widget("gear", 3))).isInstanceOf(ServiceCallFailed.class);
        }
        requests.clear();
        assertThatThrownBy(() -> widgets.create(new Widgets.Widget("gear", 3)))
                .isInstanceOfSatisfying(ServiceCallFailed.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.getMessage()).isEqualTo("widgets is failing; its circuit breaker is open");
                });
        assertThat(requests).isEmpty();
    }

    @Test
    void aServiceWithNoAddressFailsItsCallsNotTheApplicationsStart() {
        Widgets nowhere = clients.contract("gadgets", Widgets.class);
        assertThatThrownBy(() -> nowhere.widget("gear")).isInstanceOfSatisfying(ServiceCallFailed.class,
                e -> assertThat(e.getMessage()).contains("set rollout.services.urls.gadgets"));
    }
}
