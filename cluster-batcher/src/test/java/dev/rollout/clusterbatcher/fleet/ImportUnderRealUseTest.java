package dev.rollout.clusterbatcher.fleet;

import static dev.rollout.clusterbatcher.fleet.FleetFixtures.chunk;
import static dev.rollout.clusterbatcher.fleet.FleetFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import javax.sql.DataSource;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Imports as real clients send them: slowly, two at once, retried, with a client-chosen id to follow them, with
 * oversized lines and a wrong encoding.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "rollout.fleet.import-lock-wait=1s")
class ImportUnderRealUseTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
        FleetFixtures.clear(jdbc);
    }

    @Test
    void aClientSendingSlowlyHoldsUpNoRegistrationAndIsFollowedWhileItRuns() throws Exception {
        UUID id = UUID.randomUUID();
        // a client that sends the headers and the first lines, then waits: chunked, over a socket of its own
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream client = socket.getOutputStream();
            write(client, "PUT /api/fleet/imports/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer dev-ci\r\n"
                    + "Content-Type: text/csv\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
            StringBuilder lines = new StringBuilder("agent_id,cluster,region,time_zone\n");
            for (int i = 0; i < 500; i++) {
                lines.append("slow-").append(i).append(",eu-1,eu,UTC+").append(i % 12).append('\n');
            }
            chunk(client, lines.toString());
            // the body is still arriving: the import shows itself, and the fleet takes a registration (its lock is free)
            Http.Answer running = awaitStatus(id, "RECEIVING");
            assertThat(running.body()).contains("\"merged\":0");
            Http.Answer registered = http.put("/api/fleet/agents/quick-1", "dev-ci",
                    "{\"cluster\": \"eu-1\", \"region\": \"eu\", \"timeZone\": \"UTC\"}");
            assertThat(registered.status()).as(registered.body()).isEqualTo(201);
            assertThat(http.get("/api/fleet/imports?limit=5", "dev-viewer").body()).contains("\"id\":\"" + id + "\"")
                    .contains("\"status\":\"RECEIVING\"");

            chunk(client, "slow-1,eu-1,eu,UTC\n"); // line 502: a repeat of line 3
            write(client, "0\r\n\r\n");
            client.flush();
            String done = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(done).startsWith("HTTP/1.1 201");
            assertThat(done).contains("\"status\":\"COMPLETED\"", "\"received\":501", "\"merged\":500",
                    "\"imported\":500", "\"rejected\":1",
                    "{\"line\":502,\"reason\":\"duplicate agent id: the same id is on line 3");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM agent", Integer.class)).isEqualTo(501);

        // a client retrying the same id is answered the import it made, and nothing is imported twice
        Http.Answer again = http.send(http.request("/api/fleet/imports/" + id, "dev-ci").header("Content-Type", "text/csv")
                .PUT(HttpRequest.BodyPublishers.ofString("agent_id,cluster,region,time_zone\nother,eu-1,eu,UTC\n")).build());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).contains("\"imported\":500");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM agent WHERE agent_id = 'other'", Integer.class)).isZero();
    }

    @Test
    void anImportThatCannotHaveTheFleetIsA409WithRetryAfterAndChangesNothing() throws Exception {
        String csv = "agent_id,cluster,region,time_zone\nwait-1,eu-1,eu,UTC\nwait-2,eu-1,eu,UTC+1\n";
        try (Connection holder = dataSource.getConnection()) {
            // another import merging (or a plan being frozen) holds the fleet lock
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("SELECT id FROM fleet_lock WHERE id = 1 FOR UPDATE");
            }
            Http.Answer refused = http.post("/api/fleet/imports", "dev-ci", "text/csv", csv, Map.of());
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.header("Retry-After")).isEqualTo("30");
            assertThat(refused.header("Content-Type")).contains("application/problem+json");
            assertThat(refused.body()).contains("send it again");
            holder.rollback();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM agent", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT status FROM fleet_import", String.class)).isEqualTo("FAILED");

        // once the fleet is free, the same upload goes through
        assertThat(http.post("/api/fleet/imports", "dev-ci", "text/csv", csv, Map.of()).status()).isEqualTo(201);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM agent", Integer.class)).isEqualTo(2);
    }

    @Test
    void anOverlongLineIsRejectedByNumberAndAPlainBodyDeclaredGzipIsA400() throws Exception {
        String csv = "agent_id,cluster,region,time_zone,labels\nok-1,eu-1,eu,UTC,\nlong-1,eu-1,eu,UTC,"
                + "k=" + "v".repeat(UploadLines.MAX_LENGTH + 10) + "\nok-2,eu-1,eu,UTC,\n";
        Http.Answer answer = http.post("/api/fleet/imports", "dev-ci", "text/csv", csv, Map.of());
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.body()).contains("\"imported\":2", "{\"line\":3,\"reason\":\"the line is longer than 16384");

        Http.Answer notGzip = http.post("/api/fleet/imports", "dev-ci", "text/csv", csv, Map.of("Content-Encoding", "gzip"));
        assertThat(notGzip.status()).as(notGzip.body()).isEqualTo(400);
        assertThat(notGzip.body()).contains("not gzip");

        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("agent_id,cluster,region,time_zone\ngz-1,eu-1,eu,UTC\n".getBytes(StandardCharsets.UTF_8));
        }
        Http.Answer gzipped = http.send(http.request("/api/fleet/imports", "dev-ci").header("Content-Type", "text/csv")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(gz.toByteArray())).build());
        assertThat(gzipped.status()).as(gzipped.body()).isEqualTo(201);
        assertThat(gzipped.body()).contains("\"imported\":1");
    }

    @Test
    void aGzipBombIsRefusedWith413AfterAFewMegabytesAndNothingIsMerged() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("agent_id,cluster,region,time_zone\nbomb-1,eu-1,eu,UTC\n".getBytes(StandardCharsets.UTF_8));
            byte[] filler = ("bomb-x,eu-1,eu,UTC\n".repeat(1 << 14)).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 4096; i++) { // some 1.2 GB of lines once inflated
                out.write(filler);
            }
        }
        assertThat(gz.size()).isLessThan(8 * 1024 * 1024);
        UUID id = UUID.randomUUID();
        Http.Answer bomb = http.send(http.request("/api/fleet/imports/" + id, "dev-ci").header("Content-Type", "text/csv")
                .header("Content-Encoding", "gzip").PUT(HttpRequest.BodyPublishers.ofByteArray(gz.toByteArray())).build());
        assertThat(bomb.status()).as(bomb.body()).isEqualTo(413);
        assertThat(bomb.header("Content-Type")).startsWith("application/problem+json");
        assertThat(bomb.body()).contains("inflates more than 100 times");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM agent WHERE agent_id LIKE 'bomb-%'", Integer.class)).isZero();
        assertThat(http.get("/api/fleet/imports/" + id, "dev-ci").body()).contains("\"status\":\"FAILED\"");
    }

    @Test
    void theImportsByIdAndTheListingRefuseBadRequestsAndRolesThatMayNotImport() {
        String csv = "agent_id,cluster,region,time_zone\nrole-1,eu-1,eu,UTC\n";
        String path = "/api/fleet/imports/" + UUID.randomUUID();
        for (String token : new String[] { "dev-viewer", "dev-agent-a-1", "dev-on-call", "dev-pilot-p1" }) {
            Http.Answer refused = http.send(http.request(path, token).header("Content-Type", "text/csv")
                    .PUT(HttpRequest.BodyPublishers.ofString(csv)).build());
            assertThat(refused.status()).as(token).isEqualTo(403);
        }
        assertThat(http.send(http.request(path, null).header("Content-Type", "text/csv")
                .PUT(HttpRequest.BodyPublishers.ofString(csv)).build()).status()).isEqualTo(401);
        Http.Answer badId = http.send(http.request("/api/fleet/imports/not-a-uuid", "dev-ci")
                .header("Content-Type", "text/csv").PUT(HttpRequest.BodyPublishers.ofString(csv)).build());
        assertThat(badId.status()).isEqualTo(400);
        assertThat(http.send(http.request(path, "dev-ci").header("Content-Type", "application/xml")
                .PUT(HttpRequest.BodyPublishers.ofString("<a/>")).build()).status()).isEqualTo(415);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM fleet_import", Integer.class)).isZero();

        assertThat(http.get("/api/fleet/imports?limit=0", "dev-viewer").status()).isEqualTo(400);
        assertThat(http.get("/api/fleet/imports?limit=lots", "dev-viewer").status()).isEqualTo(400);
        assertThat(http.get("/api/fleet/imports", "dev-agent-a-1").status()).isEqualTo(403);
        assertThat(http.get("/api/fleet/imports", "dev-viewer").body()).isEqualTo("[]");
    }

    private Http.Answer awaitStatus(UUID id, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Http.Answer last = null;
        while (System.nanoTime() < deadline) {
            last = http.get("/api/fleet/imports/" + id, "dev-viewer");
            if (last.status() == 200 && last.body().contains("\"status\":\"" + status + "\"")) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("import " + id + " never reached " + status + ": " + last);
    }
}
