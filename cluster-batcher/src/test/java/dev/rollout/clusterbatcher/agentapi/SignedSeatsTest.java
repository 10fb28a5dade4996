package dev.rollout.clusterbatcher.agentapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.rollout.clusterbatcher.fleet.FleetFixtures;
import dev.rollout.starter.test.Http;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An agent's seat, signed by the platform when it lists the agent's batch or tells the agent its desired state, places
 * the agent's acknowledgement without a lookup among the fleet's agents; a seat that was not given to that agent in
 * that rollout is rejected by index, a gateway still speaks only for its clusters, and once an agent of the batch has
 * left its place the batch's acknowledgements are looked up again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rollout.batcher.state-cache=0ms", "rollout.agent-api.rate-limit.per-identity=100000",
        "rollout.agent-api.rate-limit.per-instance=100000" })
class SignedSeatsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String HEADER = "agentId,rolloutId,version,status,latencyMs,requests,errors,seat\n";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    Http http;
    UUID rollout;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
        FleetFixtures.clear(jdbc);
        StringBuilder csv = new StringBuilder("agent_id,cluster,region,time_zone\n");
        for (int i = 0; i < 20; i++) {
            csv.append("eu-").append(i).append(",eu-1,r,UTC\n").append("us-").append(i).append(",us-1,r,UTC-5\n");
        }
        assertThat(http.post("/api/fleet/imports", "dev-ci", "text/csv", csv.toString(), Map.of()).status()).isEqualTo(201);
        rollout = UUID.randomUUID();
        assertThat(http.post("/api/rollouts/" + rollout + "/batch-plan", "dev-service", """
                {"batchSize": 40, "fleetCap": 40, "targetVersion": "2.4.0", "previousStableVersion": "2.3.1",
                 "components": [{"name": "planner", "version": "2.4.0", "previousVersion": "2.3.1"}]}""").status())
                .isEqualTo(201);
        assertThat(http.post("/api/rollouts/" + rollout + "/batches/1/activation", "dev-service", "").status())
                .isLessThan(300);
    }

    @Test
    void seatsListedAsCsvPlaceEveryAcknowledgementWithoutALookup() {
        Map<String, String> seats = listedSeats(rollout);
        assertThat(seats).hasSize(40);
        assertThat(seats.values()).allMatch(seat -> seat.matches("\\d+\\.\\d+\\.[A-Za-z0-9_-]{16}"));
        double bySeat = placed("seat");
        double byLookup = placed("lookup");

        StringBuilder csv = new StringBuilder(HEADER);
        seats.forEach((agent, seat) -> csv.append(agent).append(',').append(rollout).append(",2.4.0,OK,40,10,0,")
                .append(seat).append('\n'));
        JsonNode result = ack("dev-service", csv.toString());
        assertThat(result.get("accepted").asInt()).as(result.toString()).isEqualTo(40);
        assertThat(placed("seat") - bySeat).isEqualTo(40);
        assertThat(placed("lookup") - byLookup).as("no agent looked up").isZero();
        assertThat(count("SELECT count(*) FROM ack WHERE rollout_id = ?")).isEqualTo(40);
        assertThat(count("SELECT count(DISTINCT agent_id) FROM ack WHERE rollout_id = ?")).isEqualTo(40);
        // the place taken from the seat is the agent's own: its time zone as the fleet has it
        assertThat(count("SELECT count(*) FROM ack a JOIN agent g ON g.agent_id = a.agent_id"
                + " WHERE a.rollout_id = ? AND a.tz_offset = g.tz_offset")).isEqualTo(40);
        // sent again, with seats: counted once
        assertThat(ack("dev-service", csv.toString()).get("duplicates").asInt()).isEqualTo(40);
    }

    @Test
    void aSeatNotGivenToThatAgentInThatRolloutIsRejectedByIndex() {
        Map<String, String> seats = listedSeats(rollout);
        String eu1 = seats.get("eu-1");
        String changed = eu1.substring(0, eu1.indexOf('.') + 1) + (Long.parseLong(eu1.split("\\.")[1]) + 1)
                + eu1.substring(eu1.lastIndexOf('.'));
        String csv = HEADER
                + "eu-2," + rollout + ",2.4.0,OK,40,10,0," + seats.get("eu-2") + "\n"     // its own: accepted
                + "eu-3," + rollout + ",2.4.0,OK,40,10,0," + eu1 + "\n"                   // another agent's
                + "eu-1," + rollout + ",2.4.0,OK,40,10,0," + changed + "\n"               // a rank changed
                + "eu-4," + rollout + ",2.4.0,OK,40,10,0,not-a-seat\n"
                + "eu-5," + rollout + ",2.4.0,OK,40,10,0,\n";                             // none: looked up
        JsonNode result = ack("dev-service", csv);
        assertThat(result.get("accepted").asInt()).as(result.toString()).isEqualTo(2);
        List<Integer> indexes = new ArrayList<>();
        result.get("rejected").forEach(r -> {
            indexes.add(r.get("index").asInt());
            assertThat(r.get("reason").asString()).contains("was not given to agent " + r.get("agentId").asString());
        });
        assertThat(indexes).containsExactly(1, 2, 3);

        // a seat of this rollout sent for another rollout
        UUID other = UUID.randomUUID();
        assertThat(http.post("/api/rollouts/" + other + "/batch-plan", "dev-service", """
                {"batchSize": 40, "fleetCap": 40, "targetVersion": "2.5.0", "previousStableVersion": "2.4.0",
                 "components": [{"name": "planner", "version": "2.5.0", "previousVersion": "2.4.0"}]}""").status())
                .isEqualTo(201);
        JsonNode elsewhere = ack("dev-service", HEADER + "eu-6," + other + ",2.5.0,OK,40,10,0," + seats.get("eu-6") + "\n");
        assertThat(elsewhere.get("rejected").get(0).get("reason").asString()).contains("in rollout " + other);
    }

    @Test
    void aGatewaySpeaksOnlyForItsClustersWhateverSeatItSends() {
        Map<String, String> seats = listedSeats(rollout);
        String csv = HEADER + "eu-1," + rollout + ",2.4.0,OK,40,10,0," + seats.get("eu-1") + "\n"
                + "us-1," + rollout + ",2.4.0,OK,40,10,0," + seats.get("us-1") + "\n";
        JsonNode result = ack("dev-gateway-eu-1", csv);
        assertThat(result.get("accepted").asInt()).as(result.toString()).isEqualTo(1);
        assertThat(result.get("rejected")).hasSize(1);
        assertThat(result.get("rejected").get(0).get("agentId").asString()).isEqualTo("us-1");
    }

    @Test
    void onceAnAgentOfTheBatchLeftItsPlaceTheBatchIsLookedUpAgain() {
        Map<String, String> seats = listedSeats(rollout);
        assertThat(http.delete("/api/fleet/agents/eu-7", "dev-release-manager").status()).isEqualTo(204);
        double byLookup = placed("lookup");
        String csv = HEADER + "eu-7," + rollout + ",2.4.0,OK,40,10,0," + seats.get("eu-7") + "\n"
                + "eu-8," + rollout + ",2.4.0,OK,40,10,0," + seats.get("eu-8") + "\n";
        JsonNode result = ack("dev-service", csv);
        assertThat(result.get("accepted").asInt()).as(result.toString()).isEqualTo(1);
        assertThat(result.get("rejected").get(0).get("agentId").asString()).isEqualTo("eu-7");
        assertThat(result.get("rejected").get(0).get("reason").asString()).isEqualTo("unknown agent");
        assertThat(placed("lookup") - byLookup).isEqualTo(2);
        // the departed agent's seat is listed no more
        assertThat(listedSeats(rollout)).hasSize(39).doesNotContainKey("eu-7");
    }

    @Test
    void theDesiredStateGivesTheSeatAndAJsonAcknowledgementSendsItBack() {
        JsonNode desired = JSON.readTree(http.get("/agent/v1/agents/us-3/desired", "dev-agent-us-3").body());
        String seat = desired.get("seat").asString();
        assertThat(seat).isEqualTo(listedSeats(rollout).get("us-3"));
        double bySeat = placed("seat");
        Http.Answer answer = http.post("/agent/v1/acks", "dev-agent-us-3", """
                {"acks": [{"agentId": "us-3", "rolloutId": "%s", "version": "2.4.0", "status": "OK", "latencyMs": 40,
                           "seat": "%s"}]}""".formatted(rollout, seat));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).get("accepted").asInt()).isEqualTo(1);
        assertThat(placed("seat") - bySeat).isEqualTo(1);
    }

    @Test
    void aClosedPlanOrOneWithoutAKeyHandsOutNoSeats() {
        // a plan frozen before plans had a key: listed without seats, its acknowledgements looked up
        jdbc.update("UPDATE batch_plan SET seat_key = NULL WHERE rollout_id = ?", rollout);
        jdbc.update("UPDATE batch_plan SET frozen_at = frozen_at + interval '1 microsecond' WHERE rollout_id = ?", rollout);
        Http.Answer refused = http.get("/api/rollouts/" + rollout + "/batches/1/agents?seats=true", "dev-viewer");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("frozen before plans signed their seats");
        assertThat(JSON.readTree(http.get("/agent/v1/agents/eu-1/desired", "dev-service").body()).has("seat")).isFalse();
        assertThat(http.get("/api/rollouts/" + rollout + "/batches/1/agents", "dev-viewer").body()).doesNotContain("seat");

        assertThat(http.post("/api/rollouts/" + rollout + "/batch-plan/close", "dev-release-manager", "").status())
                .isEqualTo(204);
        Http.Answer closed = http.get("/api/rollouts/" + rollout + "/batches/1/agents?seats=true", "dev-viewer");
        assertThat(closed.status()).isEqualTo(409);
        assertThat(closed.body()).contains("is closed");
    }

    @Test
    void malformedSeatRequestsAreNamedAndRolesThatMayNotListAreRefused() {
        String listing = "/api/rollouts/" + rollout + "/batches/1/agents?seats=";
        Http.Answer notABoolean = http.get(listing + "maybe", "dev-viewer");
        assertThat(notABoolean.status()).isEqualTo(400);
        assertThat(notABoolean.body()).contains("seats");
        // seats are handed out to the roles that may list a batch, never to an agent, a gateway or a pilot
        for (String token : List.of("dev-pilot-p1", "dev-agent-eu-1", "dev-gateway-eu-1")) {
            assertThat(http.get(listing + "true", token).status()).as(token).isEqualTo(403);
            assertThat(http.get(listing + "true", token, Map.of("Accept", "text/csv")).status()).as(token).isEqualTo(403);
        }
        // an over-long seat is rejected by index, the call's other items go on
        JsonNode result = ack("dev-service", HEADER + "eu-1," + rollout + ",2.4.0,OK,40,10,0," + "1".repeat(65) + "\n"
                + "eu-2," + rollout + ",2.4.0,OK,40,10,0\n".replace("\n", ",\n"));
        assertThat(result.get("accepted").asInt()).as(result.toString()).isEqualTo(1);
        assertThat(result.get("rejected").get(0).get("index").asInt()).isZero();
        assertThat(result.get("rejected").get(0).get("reason").asString()).startsWith("seat is at most 64 characters");
    }

    /** The batch's agents and their seats, as the CSV listing gives them. */
    private Map<String, String> listedSeats(UUID id) {
        Http.Answer page = http.get("/api/rollouts/" + id + "/batches/1/agents?seats=true&size=1000", "dev-viewer",
                Map.of("Accept", "text/csv"));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        String[] lines = page.body().split("\n");
        assertThat(lines[0]).isEqualTo("agent_id,cluster,region,time_zone,seat");
        Map<String, String> seats = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            seats.put(f[0], f[4]);
        }
        // the JSON form gives the same seats
        JsonNode json = JSON.readTree(http.get("/api/rollouts/" + id + "/batches/1/agents?seats=true&size=1000",
                "dev-viewer").body());
        json.get("agents").forEach(a -> assertThat(a.get("seat").asString()).isEqualTo(seats.get(a.get("agentId").asString())));
        return seats;
    }

    private JsonNode ack(String token, String csv) {
        Http.Answer answer = http.post("/agent/v1/acks", token, "text/csv", csv, Map.of());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private double placed(String by) {
        return meters.counter("rollout.agent.acks.placed", "by", by).count();
    }

    private long count(String sql) {
        Long n = jdbc.queryForObject(sql, Long.class, rollout);
        return n == null ? 0 : n;
    }
}
