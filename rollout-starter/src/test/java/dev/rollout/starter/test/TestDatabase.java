package dev.rollout.starter.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL that tests run against, one per test JVM, chosen in this order:
 * <ol>
 * <li>{@code ROLLOUT_TEST_DB_URL} where it is set (with {@code ROLLOUT_TEST_DB_USER}, {@code ROLLOUT_TEST_DB_PASSWORD}):
 * CI points it at a fresh database of its own; a URL that does not answer is a failure, never a silent switch;</li>
 * <li>else a PostgreSQL 15 container started by Testcontainers, where a Docker engine answers;</li>
 * <li>else an embedded PostgreSQL 15 started by this JVM from Maven artifacts (the standalone platform's database),
 * in a temporary directory removed when the JVM exits.</li>
 * </ol>
 * So a fresh clone passes its tests with no database installed and no Docker engine.
 */
public final class TestDatabase {

    public record Coordinates(String url, String username, String password, String source) {
    }

    private static Coordinates coordinates;

    private TestDatabase() {
    }

    public static synchronized Coordinates get() {
        if (coordinates == null) {
            coordinates = resolve();
            System.out.println("Test database (" + coordinates.source() + "): " + coordinates.url());
        }
        return coordinates;
    }

    private static Coordinates resolve() {
        String url = env("ROLLOUT_TEST_DB_URL", "");
        if (!url.isBlank()) {
            Coordinates configured = new Coordinates(url, env("ROLLOUT_TEST_DB_USER", "postgres"),
                    env("ROLLOUT_TEST_DB_PASSWORD", ""), "ROLLOUT_TEST_DB_URL");
            try (Connection ignored = DriverManager.getConnection(configured.url(), configured.username(),
                    configured.password())) {
                return configured;
            }
            catch (SQLException e) {
                throw new IllegalStateException("ROLLOUT_TEST_DB_URL is set to " + url + " but no PostgreSQL answers there ("
                        + e.getMessage() + "). Start it, or unset ROLLOUT_TEST_DB_URL to test against a PostgreSQL "
                        + "started by the tests (Testcontainers where Docker runs, else an embedded one).", e);
            }
        }
        if (dockerAnswers()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new Coordinates(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                    "Testcontainers");
        }
        return embedded();
    }

    /** A PostgreSQL server of this JVM's own, with one database for its tests. */
    private static Coordinates embedded() {
        try {
            Path directory = Files.createTempDirectory("rollout-test-postgres");
            EmbeddedPostgres server = EmbeddedPostgres.builder().setDataDirectory(directory).setCleanDataDirectory(true)
                    // durability is not what a test run measures
                    .setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off").setServerConfig("max_connections", "300")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                }
                catch (IOException e) {
                    // the JVM is exiting; the server's directory goes with it
                }
            }));
            try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE rollout_test");
            }
            return new Coordinates(server.getJdbcUrl("postgres", "rollout_test"), "postgres", "", "embedded PostgreSQL");
        }
        catch (IOException e) {
            throw new UncheckedIOException("The embedded PostgreSQL did not start", e);
        }
        catch (SQLException e) {
            throw new IllegalStateException("The embedded PostgreSQL did not start", e);
        }
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? System.getProperty(name, fallback) : value;
    }
}
