package dev.rollout.clusterbatcher.fleet;

import static dev.rollout.clusterbatcher.fleet.FleetFixtures.chunk;
import static dev.rollout.clusterbatcher.fleet.FleetFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import dev.rollout.starter.test.Http;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A large upload merged while it arrives (here from 1,000 lines): it shows its merge before its body ends, gives way
 * to a registration that waits for the fleet and still completes from its spool, and merges nothing when its body
 * breaks off; into a busy fleet it waits its turn.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rollout.fleet.merge-while-receiving-from=1000", "rollout.fleet.load-then-index-from=1000" })
class MergeWhileReceivingTest {

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
    void aLargeUploadMergesWhileItArrivesAndGivesWayToARegistrationThatWaits() throws Exception {
        long index = stratumIndex();
        UUID id = UUID.randomUUID();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream client = startUpload(socket, id);
            chunk(client, lines(0, 1500) + "bad line\n"); // lines 2-1501, then a line rejected by its number (1502)
            // the body is still arriving and its first lines are already in the merge, the stratum index set aside
            awaitStatus(id, "MERGING", "\"received\":1501", "\"merged\":1000", "\"rejected\":1");

            // a registration waits for the fleet: the merge gives way at once (rolled back) and the registration goes on
            Http.Answer registered = http.put("/api/fleet/agents/quick-1", "dev-ci",
                    "{\"cluster\": \"c-1\", \"region\": \"eu\", \"timeZone\": \"UTC\"}");
            assertThat(registered.status()).as(registered.body()).isEqualTo(201);
            assertThat(http.get("/api/fleet/imports/" + id, "dev-viewer").body()).contains("\"status\":\"RECEIVING\"",
                    "\"merged\":0", "\"rejected\":1");

            chunk(client, lines(1500, 3000) + "m-7,c-0,eu,UTC\n"); // line 3003 repeats line 9
            write(client, "0\r\n\r\n");
            client.flush();
            String done = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(done).startsWith("HTTP/1.1 201");
            assertThat(done).contains("\"status\":\"COMPLETED\"", "\"received\":3002", "\"imported\":3000",
                    "\"rejected\":2", "{\"line\":1502,\"reason\":", "{\"line\":3003,\"reason\":\"duplicate agent id");
        }
        // merged from the spool in its turn, into a fleet that had an agent: every agent once, ranks dense, index kept
        assertThat(jdbc.queryForObject("SELECT count(*) FROM agent", Integer.class)).isEqualTo(3001);
        assertDenseRanks();
        assertThat(stratumIndex()).isEqualTo(index);
    }

    @Test
    void anUploadMergedWhileItArrivesIsTheSameAsOneMergedAfterAndFirstLoadsThenIndexes() {
        long index = stratumIndex();
        Http.Answer first = http.post("/api/fleet/imports", "dev-ci", "text/csv",
                "agent_id,cluster,region,time_zone\n" + lines(0, 5000) + "m-12,c-0,eu,UTC\nm x,c-0,eu,UTC\n", Map.of());
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.body()).contains("\"received\":5002", "\"imported\":5000", "\"rejected\":2",
                "{\"line\":5002,\"reason\":\"duplicate agent id", "{\"line\":5003,\"reason\":\"agent id 'm x' must be");
        assertThat(stratumIndex()).as("a first registration builds the stratum index after the load").isNotEqualTo(index);
        assertDenseRanks();

        // the same lines again and 2,000 more: the known ones updated, the new ones ranked after the others
        Http.Answer again = http.post("/api/fleet/imports", "dev-ci", "text/csv",
                "agent_id,cluster,region,time_zone\n" + lines(0, 7000).replace(",eu,", ",eu-2,"), Map.of());
        assertThat(again.body()).contains("\"imported\":2000", "\"updated\":5000", "\"rejected\":0");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM agent WHERE region = 'eu-2'", Integer.class)).isEqualTo(7000);
        assertDenseRanks();
    }

    @Test
    void anUploadThatBreaksOffWhileMergingMergesNothing() throws Exception {
        long index = stratumIndex();
        UUID id = UUID.randomUUID();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream client = startUpload(socket, id);
            chunk(client, lines(0, 2000));
            awaitStatus(id, "MERGING", "\"merged\":1000");
            client.write("400\r\nm-".getBytes(StandardCharsets.UTF_8)); // a chunk announced, then the connection is gone
            client.flush();
        }
        awaitStatus(id, "FAILED", "\"merged\":0");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(jdbc.queryForObject("SELECT count(*) FROM agent", Integer.class)).isZero());
        assertThat(stratumIndex()).as("the stratum index as it was").isEqualTo(index);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stratum", Integer.class)).isZero();
    }

    @Test
    void anUploadThatFindsTheFleetBusyWaitsItsTurnAndMergesFromItsSpool() throws Exception {
        Http.Answer answer;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("SELECT id FROM fleet_lock WHERE id = 1 FOR UPDATE"); // a plan being frozen, say
            }
            Thread release = new Thread(() -> {
                try {
                    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                            "SELECT count(*) FROM fleet_import WHERE status = 'QUEUED'", Integer.class) == 1);
                    holder.rollback();
                }
                catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            release.start();
            answer = http.post("/api/fleet/imports", "dev-ci", "text/csv",
                    "agent_id,cluster,region,time_zone\n" + lines(0, 4000), Map.of());
            release.join();
        }
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.body()).contains("\"imported\":4000");
        assertDenseRanks();
    }

    private long stratumIndex() {
        return jdbc.queryForObject("SELECT 'agent_stratum_rank'::regclass::oid::bigint", Long.class);
    }

    private void assertDenseRanks() {
        assertThat(jdbc.queryForList("SELECT count(*) = max(stratum_rank) + 1 AND min(stratum_rank) = 0"
                + " AND count(DISTINCT stratum_rank) = count(*) FROM agent GROUP BY cluster_id, tz_offset", Boolean.class))
                .isNotEmpty().containsOnly(true);
        assertThat(jdbc.queryForObject("SELECT bool_and(s.next_rank = a.n) FROM stratum s JOIN (SELECT cluster_id,"
                + " tz_offset, count(*) AS n FROM agent GROUP BY 1, 2) a USING (cluster_id, tz_offset)", Boolean.class))
                .isTrue();
    }

    /** Agents m-{from} to m-{to - 1}, over 3 clusters and 4 zones. */
    private static String lines(int from, int to) {
        StringBuilder csv = new StringBuilder();
        for (int i = from; i < to; i++) {
            csv.append("m-").append(i).append(",c-").append(i % 3).append(",eu,UTC+").append(i % 4).append('\n');
        }
        return csv.toString();
    }

    private static OutputStream startUpload(Socket socket, UUID id) throws IOException {
        OutputStream client = socket.getOutputStream();
        write(client, "PUT /api/fleet/imports/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer dev-ci\r\n"
                + "Content-Type: text/csv\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        chunk(client, "agent_id,cluster,region,time_zone\n");
        return client;
    }

    private Http.Answer awaitStatus(UUID id, String status, String... figures) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Http.Answer last = null;
        while (System.nanoTime() < deadline) {
            last = http.get("/api/fleet/imports/" + id, "dev-viewer");
            String body = last.body();
            if (last.status() == 200 && body.contains("\"status\":\"" + status + "\"")
                    && java.util.Arrays.stream(figures).allMatch(body::contains)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("import " + id + " never reached " + status + " " + String.join(" ", figures) + ": "
                + last);
    }
}
