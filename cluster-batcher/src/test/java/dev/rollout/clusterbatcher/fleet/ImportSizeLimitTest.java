package dev.rollout.clusterbatcher.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** An upload past its path's limit is a 413 whether it says its length or streams it, and merges nothing. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "rollout.web.upload-limits.[/api/fleet/imports]=4KB")
class ImportSizeLimitTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
        FleetFixtures.clear(jdbc);
    }

    @Test
    void aStreamedUploadPastItsLimitIsA413AndMergesNothing() {
        StringBuilder csv = new StringBuilder("agent_id,cluster,region,time_zone\n");
        for (int i = 0; i < 400; i++) {
            csv.append("big-").append(i).append(",eu-1,eu,UTC\n");
        }
        byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
        // chunked: no Content-Length, the limit is found while reading
        Http.Answer streamed = http.send(http.request("/api/fleet/imports", "dev-ci").header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
        assertThat(streamed.status()).as(streamed.body()).isEqualTo(413);
        assertThat(streamed.header("Content-Type")).contains("problem+json");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM agent", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT status FROM fleet_import", String.class)).isEqualTo("FAILED");

        Http.Answer declared = http.post("/api/fleet/imports", "dev-ci", "text/csv", csv.toString(), Map.of());
        assertThat(declared.status()).isEqualTo(413);
    }
}
