package dev.rollout.platform.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone platform's database: a real PostgreSQL 15 whose data outlives a restart of the platform. */
class EmbeddedDatabaseTest {

    @TempDir
    Path data;

    @Test
    void isARealPostgreSqlWhoseDataOutlivesARestart() throws Exception {
        Path directory = data.resolve("postgres");
        Path log = data.resolve("logs/postgres.log");
        try (EmbeddedDatabase database = EmbeddedDatabase.start(directory, log, Map.of())) {
            Platform.Postgres db = database.coordinates();
            assertThat(db.url()).startsWith("jdbc:postgresql://").contains("/rollout");
            try (Connection c = DriverManager.getConnection(db.url(), db.username(), db.password());
                    Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(15);
                }
                s.execute("CREATE SCHEMA phase_engine");
                s.execute("CREATE TABLE phase_engine.rollout (id int PRIMARY KEY, name text)");
                s.execute("INSERT INTO phase_engine.rollout VALUES (1, 'kept')");
            }
        }
        assertThat(directory.resolve("PG_VERSION")).exists();
        assertThat(directory.resolve("postmaster.pid")).doesNotExist();
        assertThat(Files.readString(log)).contains("database system is ready to accept connections");

        try (EmbeddedDatabase again = EmbeddedDatabase.start(directory, log, Map.of())) {
            Platform.Postgres db = again.coordinates();
            try (Connection c = DriverManager.getConnection(db.url(), db.username(), db.password());
                    Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM phase_engine.rollout")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("kept");
            }
        }
    }
}
