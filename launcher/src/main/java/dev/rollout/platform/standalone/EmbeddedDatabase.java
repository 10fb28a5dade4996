package dev.rollout.platform.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The standalone platform's database: a real PostgreSQL 15 server started from Maven artifacts (no installed database,
 * no Docker), its data under {@code data/postgres} so that a restart keeps every rollout, on a free loopback port,
 * stopped with the platform. The services use it exactly as they use a production PostgreSQL: one database, a schema
 * per service, the same migrations and the same SQL.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** The database the services share (each in its own schema). */
    static final String DATABASE = "rollout";

    private final EmbeddedPostgres server;

    private EmbeddedDatabase(EmbeddedPostgres server) {
        this.server = server;
    }

    /**
     * Starts the server on {@code directory} (initialised on first use, kept afterwards) and creates the platform's
     * database when it is missing.
     *
     * @param log      where the server writes its log
     * @param settings server settings ({@code postgresql.conf} names), over the defaults below
     */
    public static EmbeddedDatabase start(Path directory, Path log, Map<String, String> settings) throws IOException {
        Files.createDirectories(directory);
        Files.createDirectories(log.getParent());
        stopLeftover(directory);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(directory)
                .setCleanDataDirectory(false).setPort(0).setPGStartupWait(Duration.ofSeconds(60))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                // a fleet import and a batch's acknowledgements write gigabytes of WAL: checkpoints by time, not size
                .setServerConfig("max_wal_size", "4GB").setServerConfig("checkpoint_timeout", "15min")
                .setServerConfig("wal_compression", "on").setServerConfig("max_connections", "200")
                .setServerConfig("shared_buffers", "512MB").setServerConfig("work_mem", "16MB")
                .setServerConfig("maintenance_work_mem", "256MB");
        settings.forEach(builder::setServerConfig);
        EmbeddedDatabase database = new EmbeddedDatabase(builder.start());
        try {
            database.createDatabase();
        }
        catch (SQLException e) {
            database.close();
            throw new IOException("The embedded PostgreSQL started but the database " + DATABASE
                    + " could not be created: " + e.getMessage(), e);
        }
        return database;
    }

    /** What the services are given to connect. */
    public Platform.Postgres coordinates() {
        return new Platform.Postgres(server.getJdbcUrl("postgres", DATABASE), "postgres", "");
    }

    public int port() {
        return server.getPort();
    }

    private void createDatabase() throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection()) {
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, DATABASE);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + DATABASE);
                }
            }
        }
    }

    /**
     * A platform killed without a chance to stop its database (SIGKILL, a power cut) leaves the server running on the
     * data directory, or its pid file behind; PostgreSQL refuses a second server on the same directory. A server still
     * running there is stopped (a fast shutdown: it rolls back open transactions and keeps every committed one).
     */
    private static void stopLeftover(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream().findFirst().orElse("").strip();
        Optional<ProcessHandle> leftover;
        try {
            leftover = ProcessHandle.of(Long.parseLong(first));
        }
        catch (NumberFormatException e) {
            return;
        }
        if (leftover.isEmpty() || !leftover.get().isAlive()
                || !leftover.get().info().command().map(c -> c.endsWith("postgres")).orElse(false)) {
            return;
        }
        System.out.println("Stopping a PostgreSQL left running on " + directory + " (pid " + first + ")");
        leftover.get().destroy();
        try {
            leftover.get().onExit().get(30, TimeUnit.SECONDS);
        }
        catch (Exception e) {
            throw new IOException("A PostgreSQL (pid " + first + ") still runs on " + directory + "; stop it first", e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
