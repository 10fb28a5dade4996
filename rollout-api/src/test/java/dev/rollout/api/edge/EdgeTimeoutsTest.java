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
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A fleet upload is answered once it is merged, minutes for a large one: the edge waits for it as long as its upload
 * timeout allows, while any other path that takes longer than the short read timeout is answered 503 at once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rollout.edge.timeouts.read=500ms", "rollout.edge.timeouts.upload-read=30s" })
class EdgeTimeoutsTest {

    /** A service that takes 2 s to answer anything. */
    static final HttpServer SLOW_SERVICE = slowService();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void routes(DynamicPropertyRegistry registry) {
        registry.add("rollout.edge.routes.cluster-batcher", () -> "http://127.0.0.1:" + SLOW_SERVICE.getAddress().getPort());
    }

    static HttpServer slowService() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                try {
                    Thread.sleep(2000);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                byte[] body = "{\"status\":\"COMPLETED\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(201, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
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
        SLOW_SERVICE.stop(0);
    }

    @Test
    void aFleetUploadIsWaitedForLongerThanAnyOtherPath() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/fleet/imports/6f1c1a9e-2b1b-4e5e-9a53-0c7f0b0e8a11")).header("Authorization", "Bearer dev-ci")
                .header("Content-Type", "text/csv").PUT(HttpRequest.BodyPublishers.ofString("agent_id,cluster,region,time_zone\n"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);

        HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/fleet")).header("Authorization", "Bearer dev-viewer").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).as(other.body()).isIn(503, 504);
        assertThat(other.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
    }
}
