package dev.rollout.starter.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL that tests run against: {@code ROLLOUT_TEST_DB_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}); where none answers and Docker does, one started by
 * Testcontainers; otherwise a failure that says what to start.
 */
public final class TestDatabase {

    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    public record Coordinates(String url, String username, String password) {
    }

    private static Coordinates coordinates;

    private TestDatabase() {
    }

    public static synchronized Coordinates get() {
        if (coordinates == null) {
            coordinates = resolve();
        }
        return coordinates;
    }

    private static Coordinates resolve() {
        String url = env("ROLLOUT_TEST_DB_URL", DEFAULT_URL);
        Coordinates configured = new Coordinates(url, env("ROLLOUT_TEST_DB_USER", "postgres"),
                env("ROLLOUT_TEST_DB_PASSWORD", ""));
        SQLException failure;
        try (Connection ignored = DriverManager.getConnection(configured.url(), configured.username(),
                configured.password())) {
            return configured;
        }
        catch (SQLException e) {
            failure = e;
        }
        if (dockerAnswers()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new Coordinates(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        throw new IllegalStateException("No PostgreSQL answers at " + url + " (" + failure.getMessage()
                + ") and no Docker engine is available for Testcontainers. Start PostgreSQL "
                + "(for instance: pg_ctlcluster 15 main start) or set ROLLOUT_TEST_DB_URL "
                + "(and ROLLOUT_TEST_DB_USER, ROLLOUT_TEST_DB_PASSWORD) to one that answers.");
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
