package dev.rollout.clusterbatcher.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.rollout.starter.test.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** A fleet registered before seats were keyed by one integer: the migration numbers its strata and keys its agents. */
class SeatKeyMigrationTest {

    private static final String SCHEMA = "seat_key_migration";

    private final TestDatabase.Coordinates db = TestDatabase.get();
    private final SingleConnectionDataSource dataSource = new SingleConnectionDataSource(db.url(), db.username(),
            db.password(), true);
    private final JdbcTemplate jdbc = new JdbcTemplate(dataSource);

    @AfterEach
    void drop() {
        jdbc.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        dataSource.destroy();
    }

    private Flyway flyway(String target) {
        return Flyway.configure().dataSource(dataSource).schemas(SCHEMA).locations("classpath:db/migration")
                .target(target).load();
    }

    @Test
    void numbersEachStratumOnceAndKeysEveryAgentBySeat() {
        jdbc.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        flyway("14").migrate();
        jdbc.execute("SET search_path TO " + SCHEMA);
        jdbc.update("INSERT INTO cluster (id, region) VALUES ('c-1', 'eu'), ('c-2', 'us'), ('c-3', 'ap')");
        jdbc.update("INSERT INTO stratum (cluster_id, tz_offset, next_rank) VALUES ('c-1', 0, 3), ('c-2', 5, 2)");
        // the last agent's stratum has no row (a fleet damaged by hand): the migration makes it
        jdbc.update("INSERT INTO agent (agent_id, cluster_id, region, tz_offset, stratum_rank, registered_at) VALUES"
                + " ('a', 'c-1', 'eu', 0, 0, now()), ('b', 'c-1', 'eu', 0, 1, now()), ('c', 'c-1', 'eu', 0, 2, now()),"
                + " ('d', 'c-2', 'us', 5, 0, now()), ('e', 'c-2', 'us', 5, 1, now()), ('f', 'c-3', 'ap', -2, 0, now())");

        flyway("latest").migrate();
        jdbc.execute("SET search_path TO " + SCHEMA);

        List<Map<String, Object>> strata = jdbc.queryForList("SELECT cluster_id, tz_offset, next_rank, id FROM stratum"
                + " ORDER BY cluster_id");
        assertThat(strata).extracting(s -> s.get("cluster_id")).containsExactly("c-1", "c-2", "c-3");
        assertThat(strata).extracting(s -> s.get("id")).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(strata.get(2)).containsEntry("tz_offset", -2).containsEntry("next_rank", 1L);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM agent a JOIN stratum s ON s.cluster_id = a.cluster_id"
                + " AND s.tz_offset = a.tz_offset WHERE a.stratum_id = s.id AND a.seat = a.stratum_rank * 16777216 + s.id",
                Long.class)).as("every agent keyed by its rank and its stratum's number").isEqualTo(6L);
        int c1 = ((Number) strata.get(0).get("id")).intValue();
        assertThat(jdbc.queryForObject("SELECT agent_id FROM agent WHERE seat = ?", String.class, SeatKey.of(2, c1)))
                .isEqualTo("c");
        assertThat(jdbc.queryForObject("SELECT pg_get_indexdef('agent_stratum_rank'::regclass)", String.class))
                .contains("UNIQUE INDEX").contains("(seat) INCLUDE (agent_id, region)");

        // a rank changed later moves the seat with it, whoever writes it
        jdbc.update("UPDATE agent SET stratum_rank = 7 WHERE agent_id = 'c'");
        assertThat(jdbc.queryForObject("SELECT agent_id FROM agent WHERE seat = ?", String.class, SeatKey.of(7, c1)))
                .isEqualTo("c");
        // a new stratum continues the numbering
        jdbc.update("INSERT INTO stratum (cluster_id, tz_offset, next_rank) VALUES ('c-3', 1, 0)");
        assertThat(jdbc.queryForObject("SELECT id FROM stratum WHERE cluster_id = 'c-3' AND tz_offset = 1", Integer.class))
                .isNotIn(strata.stream().map(s -> s.get("id")).toArray());
    }
}
