package dev.rollout.api.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The edge forwards concurrent requests to one service concurrently: twelve callers at once reach the service
 * together (the HTTP client's own pool of 5 connections per service would hold seven of them back).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EdgeConnectionsTest {

    static final int CALLERS = 12;
    static final CountDownLatch ALL_ARRIVED = new CountDownLatch(CALLERS);
    static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();
    static final AtomicInteger AT_ONCE = new AtomicInteger();
    static final HttpServer SERVICE = service();

    @LocalServerPort
    int port;

    @Autowired
    ClientHttpRequestFactoryBuilder<?> clients;

    @DynamicPropertySource
    static void routes(DynamicPropertyRegistry registry) {
        registry.add("rollout.edge.routes.metrics-gate", () -> "http://127.0.0.1:" + SERVICE.getAddress().getPort());
    }

    /** A service that answers only once every caller has arrived (or after 10 s, saying how many had). */
    static HttpServer service() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", exchange -> {
                MOST_AT_ONCE.accumulateAndGet(AT_ONCE.incrementAndGet(), Math::max);
                ALL_ARRIVED.countDown();
                boolean together;
                try {
                    together = ALL_ARRIVED.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    together = false;
                }
                byte[] body = ("{\"together\":" + together + "}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
                AT_ONCE.decrementAndGet();
            });
            server.start();
            return server;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        SERVICE.stop(0);
    }

    @Test
    void concurrentRequestsToOneServiceAreForwardedTogether() {
        assertThat(clients.build()).isInstanceOf(HttpComponentsClientHttpRequestFactory.class);
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/kpi-policies/default"))
                    .header("Authorization", "Bearer dev-viewer").build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.join();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"together\":true}");
        }
        assertThat(MOST_AT_ONCE.get()).isEqualTo(CALLERS);
    }
}
