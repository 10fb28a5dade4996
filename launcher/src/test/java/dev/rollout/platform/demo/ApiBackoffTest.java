package dev.rollout.platform.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

/** The demo's fleet backs off as agents are documented to: 429 and 503 retried after a jittered delay, nothing else. */
class ApiBackoffTest {

    @Test
    void delaysAreFullJitterUnderRetryAfterOrAnExponentialCeiling() {
        for (int i = 0; i < 200; i++) {
            assertThat(Api.backoff(1, null)).isBetween(0L, 1000L);
            assertThat(Api.backoff(3, null)).isBetween(0L, 4000L);
            assertThat(Api.backoff(20, null)).isBetween(0L, 32_000L);
            assertThat(Api.backoff(1, "7")).isBetween(0L, 7000L);
        }
    }

    @Test
    void aCallAnswered429Or503IsRetriedUntilItIsTakenAndA400IsNot() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/agent/v1/acks", exchange -> {
            int call = calls.incrementAndGet();
            int status = call == 1 ? 429 : call == 2 ? 503 : 200;
            byte[] body = (status == 200 ? "{\"accepted\":1}" : "{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Retry-After", "0");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/bad", exchange -> {
            calls.incrementAndGet();
            exchange.sendResponseHeaders(400, -1);
            exchange.close();
        });
        server.start();
        try {
            Api api = new Api("http://127.0.0.1:" + server.getAddress().getPort());
            assertThat(api.post("/agent/v1/acks", "dev-gateway-eu-1", "{}").path("accepted").asInt()).isEqualTo(1);
            assertThat(calls).hasValue(3);
            assertThatThrownBy(() -> api.post("/bad", "dev-gateway-eu-1", "{}")).hasMessageContaining("answered 400");
            assertThat(calls).hasValue(4);
        }
        finally {
            server.stop(0);
        }
    }
}
