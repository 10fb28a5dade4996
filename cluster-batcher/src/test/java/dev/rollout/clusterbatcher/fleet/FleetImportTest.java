package dev.rollout.clusterbatcher.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Map;

import dev.rollout.starter.test.Http;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FleetImportTest {

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

    Http.Answer upload(String contentType, String body) {
        return http.post("/api/fleet/imports", "dev-ci", contentType, body, Map.of());
    }

    @Test
    void importsTheValidLinesAndReportsEveryRejectedLineByNumber() {
        Http.Answer answer = upload("text/csv", """
                agent_id,cluster,region,time_zone,labels
                a-1,eu-1,eu,Europe/Paris,tier=gold
                a-2,eu-1,eu,+01:00,
                a-3,us-1,us,America/New_York,
                a-4,us-1,us,Mars/Olympus,
                a 5,us-1,us,UTC,
                a-1,eu-1,eu,UTC,
                a-6,ap-1,ap,"Asia/Kolkata","team=""blue""\"
                """);
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.body()).contains("\"status\":\"COMPLETED\"").contains("\"received\":7")
                .contains("\"imported\":4").contains("\"updated\":0").contains("\"rejected\":3")
                .contains("{\"line\":5,\"reason\":\"time zone 'Mars/Olympus' is neither an IANA zone id nor a UTC offset\"}")
                .contains("{\"line\":6,\"reason\":\"agent id 'a 5' must be")
                .contains("{\"line\":7,\"reason\":\"duplicate agent id: the same id is on line 2\"}");
        assertThat(jdbc.queryForObject("SELECT tz_offset FROM agent WHERE agent_id = 'a-3'", Integer.class)).isEqualTo(-5);
        assertThat(jdbc.queryForObject("SELECT tz_offset FROM agent WHERE agent_id = 'a-6'", Integer.class)).isEqualTo(6);
        assertThat(jdbc.queryForObject("SELECT labels FROM agent WHERE agent_id = 'a-6'", String.class))
                .isEqualTo("team=\"blue\"");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cluster", Integer.class)).isEqualTo(3);

        String id = answer.body().replaceAll(".*?\"id\":\"([0-9a-f-]+)\".*", "$1");
        Http.Answer read = http.get("/api/fleet/imports/" + id, "dev-viewer");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).contains("\"rejected\":3").contains("\"line\":5");
    }

    @Test
    void anImportThatGrowsTheFleetLeavesItAnalyzedAndVacuumed() {
        Timestamp before = jdbc.queryForObject("SELECT now()", Timestamp.class);
        StringBuilder csv = new StringBuilder("agent_id,cluster,region,time_zone\n");
        // more than a tenth of the rows the statistics knew (left by other tests of this class): the fleet grew
        long growth = Math.max(300, jdbc.queryForObject("SELECT reltuples::bigint FROM pg_class WHERE oid = 'agent'::regclass",
                Long.class) / 5);
        for (int i = 0; i < growth; i++) {
            csv.append("v-").append(i).append(",eu-1,eu,UTC\n");
        }
        assertThat(upload("text/csv", csv.toString()).body()).contains("\"imported\":" + growth);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> stats = jdbc.queryForMap("SELECT last_vacuum, last_analyze FROM pg_stat_user_tables"
                    + " WHERE relid = 'agent'::regclass");
            assertThat((Timestamp) stats.get("last_vacuum")).isAfterOrEqualTo(before);
            assertThat((Timestamp) stats.get("last_analyze")).isAfterOrEqualTo(before);
        });
    }

    long stratumIndex() {
        return jdbc.queryForObject("SELECT 'agent_stratum_rank'::regclass::oid::bigint", Long.class);
    }

    @Test
    void aFirstRegistrationLoadsThenBuildsTheStratumIndexAndAGrowingFleetMaintainsIt() {
        String definition = jdbc.queryForObject("SELECT pg_get_indexdef('agent_stratum_rank'::regclass)", String.class);
        long before = stratumIndex();
        StringBuilder csv = new StringBuilder("agent_id,cluster,region,time_zone\n");
        for (int i = 0; i < 100_000; i++) {
            csv.append("r-").append(i).append(",c-").append(i / 24 % 10).append(",eu,UTC").append(i % 24 < 11 ? "-" : "+")
                    .append(Math.abs(i % 24 - 11)).append('\n');
        }
        csv.append("r-7,c-0,eu,UTC\n"); // a duplicate still rejected by its line, the key kept all along
        Http.Answer first = upload("text/csv", csv.toString());
        assertThat(first.body()).contains("\"imported\":100000").contains("\"rejected\":1")
                .contains("{\"line\":100002,\"reason\":\"duplicate agent id");

        long built = stratumIndex();
        assertThat(built).as("the index was built anew after the load").isNotEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT pg_get_indexdef('agent_stratum_rank'::regclass)", String.class))
                .isEqualTo(definition);
        assertThat(jdbc.queryForObject("SELECT indisvalid AND indisunique FROM pg_index WHERE indexrelid = "
                + "'agent_stratum_rank'::regclass", Boolean.class)).isTrue();
        // every stratum's ranks dense from 0: 240 strata of 10 clusters x 24 zones
        assertThat(jdbc.queryForList("SELECT count(*) = max(stratum_rank) + 1 AND min(stratum_rank) = 0 FROM agent"
                + " GROUP BY cluster_id, tz_offset", Boolean.class)).hasSize(240).containsOnly(true);

        assertThat(upload("text/csv", "agent_id,cluster,region,time_zone\ns-1,c-1,eu,UTC\ns-2,c-1,eu,UTC\n").body())
                .contains("\"imported\":2");
        assertThat(stratumIndex()).as("into a fleet that has agents, the index is maintained").isEqualTo(built);
        assertThat(jdbc.queryForList("SELECT stratum_rank FROM agent WHERE agent_id IN ('s-1', 's-2') ORDER BY 1",
                Long.class)).containsExactly(417L, 418L);
    }

    @Test
    void anAgentIsFoundByIdOrBySeatFromTheIndexAlone() {
        // a fleet large enough that the planner's choice is the one it makes at fleet scale, not a tiny table's
        StringBuilder csv = new StringBuilder("agent_id,cluster,region,time_zone\n");
        for (int i = 1; i <= 20_000; i++) {
            csv.append("i-").append(i).append(",eu-").append(i % 20).append(",eu,UTC\n");
        }
        assertThat(upload("text/csv", csv.toString()).body()).contains("\"imported\":20000");
        jdbc.execute("ANALYZE agent");
        int eu1 = jdbc.queryForObject("SELECT id FROM stratum WHERE cluster_id = 'eu-1' AND tz_offset = 0", Integer.class);
        assertThat(jdbc.queryForList("SELECT agent_id FROM agent WHERE seat = ? OR seat = ? ORDER BY seat", String.class,
                SeatKey.of(0, eu1), SeatKey.of(1, eu1))).as("the seat key names the stratum's first two agents")
                .containsExactly("i-1", "i-21");
        String[] plans = jdbc.execute((Connection c) -> {
            try (Statement st = c.createStatement()) {
                st.execute("SET enable_seqscan = off");
                st.execute("SET enable_bitmapscan = off");
                String[] found = new String[3];
                String[] queries = { "SELECT agent_id, cluster_id, tz_offset, stratum_rank FROM agent"
                        + " WHERE agent_id = ANY ('{i-1,i-2}')",
                        // a page of a batch, as its listing reads it: seats, each a rank and a stratum's number
                        "SELECT seat, agent_id, region FROM agent WHERE seat = ANY (ARRAY[" + SeatKey.of(0, eu1) + ", "
                                + SeatKey.of(1, eu1) + "]::bigint[])",
                        // a stratum's ranks, as the compaction of its holes reads them
                        "SELECT seat FROM agent WHERE seat = ANY (ARRAY(SELECT g * 16777216 + id FROM stratum,"
                                + " generate_series(0, next_rank - 1) g WHERE cluster_id = 'eu-1' AND tz_offset = 0))"
                                + " ORDER BY seat" };
                for (int i = 0; i < queries.length; i++) {
                    StringBuilder plan = new StringBuilder();
                    try (ResultSet rs = st.executeQuery("EXPLAIN " + queries[i])) {
                        while (rs.next()) {
                            plan.append(rs.getString(1)).append('\n');
                        }
                    }
                    found[i] = plan.toString();
                }
                st.execute("RESET enable_seqscan");
                st.execute("RESET enable_bitmapscan");
                return found;
            }
        });
        assertThat(plans[0]).contains("Index Only Scan using agent_pkey");
        assertThat(plans[1]).contains("Index Only Scan using agent_stratum_rank").doesNotContain("Filter");
        assertThat(plans[2]).as("one lookup per rank, not a scan of the whole index")
                .contains("Index Only Scan using agent_stratum_rank").contains("Index Cond: (seat = ANY")
                .doesNotContain("Filter");
    }

    @Test
    void reImportingIsAnIdempotentUpsertThatKeepsRanks() {
        String csv = "agent_id,cluster,region,time_zone\nb-1,eu-1,eu,UTC\nb-2,eu-1,eu,UTC\nb-3,eu-1,eu,UTC\n";
        assertThat(upload("text/csv", csv).body()).contains("\"imported\":3");
        Map<String, Object> ranks = FleetFixtures.ranks(jdbc);
        Http.Answer again = upload("text/csv", csv + "b-4,eu-1,eu,UTC\n");
        assertThat(again.body()).contains("\"imported\":1").contains("\"updated\":3");
        assertThat(FleetFixtures.ranks(jdbc)).containsAllEntriesOf(ranks);
        assertThat(jdbc.queryForObject("SELECT stratum_rank FROM agent WHERE agent_id = 'b-4'", Long.class)).isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT next_rank FROM stratum WHERE cluster_id = 'eu-1' AND tz_offset = 0",
                Long.class)).isEqualTo(4);
    }

    @Test
    void anAgentThatMovesToAnotherZoneGetsARankThere() {
        upload("text/csv", "agent_id,cluster,region,time_zone\nc-1,eu-1,eu,UTC\nc-2,eu-1,eu,+02:00\n");
        upload("text/csv", "agent_id,cluster,region,time_zone\nc-1,eu-1,eu,+02:00\n");
        assertThat(jdbc.queryForObject("SELECT stratum_rank FROM agent WHERE agent_id = 'c-1'", Long.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT tz_offset FROM agent WHERE agent_id = 'c-1'", Integer.class)).isEqualTo(2);
    }

    @Test
    void importsNdjsonAndRejectsBadLines() {
        Http.Answer answer = upload("application/x-ndjson", """
                {"agentId":"n-1","cluster":"eu-1","region":"eu","timeZone":"UTC","labels":{"b":"2","a":"1"}}
                {"agentId":"n-2","cluster":"eu-1","region":"eu","timeZone":"UTC"
                {"agentId":"n-3","cluster":"eu-1","region":"eu","timeZone":"UTC","colour":"red"}
                {"agentId":42,"cluster":"eu-1","region":"eu","timeZone":"UTC"}
                """);
        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body()).contains("\"imported\":1").contains("\"rejected\":3")
                .contains("\"line\":2,\"reason\":\"not valid JSON").contains("\"line\":3,\"reason\":\"unknown field 'colour'\"")
                .contains("\"line\":4,\"reason\":\"agentId must be a string\"");
        assertThat(jdbc.queryForObject("SELECT labels FROM agent WHERE agent_id = 'n-1'", String.class)).isEqualTo("a=1;b=2");
    }

    @Test
    void aCsvWithoutTheRequiredColumnsIsA422() {
        Http.Answer answer = upload("text/csv", "id,cluster\nx,eu-1\n");
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body()).contains("no 'agent_id' column");
        assertThat(upload("text/csv", "").status()).isEqualTo(422);
    }

    @Test
    void refusesRolesThatMayNotImport() {
        String csv = "agent_id,cluster,region,time_zone\nd-1,eu-1,eu,UTC\n";
        assertThat(http.post("/api/fleet/imports", "dev-viewer", "text/csv", csv, Map.of()).status()).isEqualTo(403);
        assertThat(http.post("/api/fleet/imports", "dev-agent-a-1", "text/csv", csv, Map.of()).status()).isEqualTo(403);
        assertThat(http.post("/api/fleet/imports", "dev-on-call", "text/csv", csv, Map.of()).status()).isEqualTo(403);
        assertThat(http.post("/api/fleet/imports", "dev-release-manager", "text/csv", csv, Map.of()).status()).isEqualTo(201);
        assertThat(http.post("/api/fleet/imports", "dev-ci", "application/xml", "<a/>", Map.of()).status()).isEqualTo(415);
    }
}
