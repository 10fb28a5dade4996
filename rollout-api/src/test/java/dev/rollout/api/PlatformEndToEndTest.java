package dev.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.rollout.api.standalone.Platform;
import dev.rollout.api.standalone.PlatformService;
import dev.rollout.starter.test.Http;
import dev.rollout.starter.test.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * All six services, each its own process on a random port, on the real PostgreSQL, called through the
 * edge with tokens exactly as a release manager or a CI job would.
 */
class PlatformEndToEndTest {

    static Platform platform;
    static Http edge;

    @BeforeAll
    static void startPlatform() throws IOException {
        TestDatabase.Coordinates db = TestDatabase.get();
        Map<PlatformService, Integer> ports = new EnumMap<>(PlatformService.class);
        for (PlatformService service : PlatformService.values()) {
            ports.put(service, freePort());
        }
        platform = Platform.start(new Platform.Options(Path.of("..").toAbsolutePath().normalize(),
                new Platform.Postgres(db.url(), db.username(), db.password()), ports,
                Path.of("target/e2e-logs"), List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m"),
                Map.of()));
        platform.awaitReady(Duration.ofMinutes(4), System.out::println);
        edge = new Http(platform.url(PlatformService.ROLLOUT_API));
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aReleaseManagerCreatesAndReadsARolloutThroughTheEdge() {
        Http.Answer created = edge.post("/api/rollouts", "dev-release-manager", """
                {"name": "assistant 2.4", "targetVersion": "2.4.0", "previousStableVersion": "2.3.1",
                 "components": [{"name": "planner", "version": "2.4.0"}, {"name": "memory", "version": "1.9.0"}]}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String location = created.header("Location");
        assertThat(location).startsWith("/api/rollouts/");

        Http.Answer read = edge.get(location, "dev-viewer");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).contains("\"status\":\"DRAFT\"").contains("\"name\":\"memory\"");

        assertThat(edge.get("/api/rollouts?status=DRAFT", "dev-ci").body()).contains(location.substring(14));
    }

    @Test
    void theEdgeRefusesWhatTheOwningServiceRefuses() {
        String body = "{\"name\":\"x\",\"targetVersion\":\"2\",\"previousStableVersion\":\"1\",\"components\":[{\"name\":\"a\",\"version\":\"1\"}]}";
        assertThat(edge.post("/api/rollouts", "dev-viewer", body).status()).isEqualTo(403);
        assertThat(edge.post("/api/rollouts", null, body).status()).isEqualTo(401);
        assertThat(edge.post("/api/rollouts", "not-a-token", body).status()).isEqualTo(401);
        assertThat(edge.get("/api/rollouts/00000000-0000-0000-0000-000000000000", "dev-viewer").status()).isEqualTo(404);
    }

    @Test
    void badInputIsA4xxProblemNeverA500() {
        Http.Answer malformed = edge.post("/api/rollouts", "dev-release-manager", "{\"name\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.header("Content-Type")).contains("problem+json");

        Http.Answer wrongType = edge.post("/api/rollouts", "dev-release-manager",
                "{\"name\":\"x\",\"targetVersion\":\"2\",\"previousStableVersion\":\"1\",\"components\":\"planner\"}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body()).contains("components");

        Http.Answer unknownField = edge.post("/api/rollouts", "dev-release-manager",
                "{\"name\":\"x\",\"targetVersion\":\"2\",\"previousStableVersion\":\"1\",\"components\":[],\"colour\":1}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.body()).contains("colour");

        Http.Answer oversized = edge.post("/api/rollouts", "dev-release-manager",
                "{\"name\":\"" + "x".repeat(2_000_000) + "\"}");
        assertThat(oversized.status()).isEqualTo(413);
    }

    @Test
    void oneSwaggerUiListsTheApisOfAllSixServices() {
        Http.Answer config = edge.get("/v3/api-docs/swagger-config", null);
        assertThat(config.status()).isEqualTo(200);
        for (PlatformService service : PlatformService.values()) {
            assertThat(config.body()).contains("\"name\":\"" + service.module() + "\"");
        }
        for (PlatformService service : PlatformService.values()) {
            String path = service == PlatformService.ROLLOUT_API ? "/v3/api-docs" : "/docs/" + service.module() + "/v3/api-docs";
            Http.Answer doc = edge.get(path, null);
            assertThat(doc.status()).as(path).isEqualTo(200);
            assertThat(doc.body()).as(path).contains("\"title\":\"" + service.module() + "\"").contains("\"/api/");
        }
        assertThat(edge.get("/swagger-ui/index.html", null).status()).isEqualTo(200);
    }

    @Test
    void theEdgeReportsEveryServiceReady() {
        Http.Answer services = edge.get("/api/platform/services", "dev-viewer");
        assertThat(services.status()).isEqualTo(200);
        assertThat(services.body()).doesNotContain("\"ready\":false");
        assertThat(services.body().split("\"ready\":true", -1)).hasSize(6);
        assertThat(edge.get("/api/platform/services", "dev-agent").status()).isEqualTo(403);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
