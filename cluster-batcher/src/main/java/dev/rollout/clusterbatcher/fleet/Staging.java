package dev.rollout.clusterbatcher.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import dev.rollout.clusterbatcher.system.DatabaseKind;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

/**
 * Streams validated lines into {@code fleet_import_stage} inside the current transaction: with COPY on
 * PostgreSQL (the bulk path), with batched inserts on the embedded database.
 */
@Component
class Staging {

    /** Receives the lines of one import, in order. */
    interface Writer extends AutoCloseable {

        void add(long lineNo, AgentLine line);

        @Override
        void close();
    }

    private final DataSource dataSource;
    private final DatabaseKind database;

    Staging(DataSource dataSource, DatabaseKind database) {
        this.dataSource = dataSource;
        this.database = database;
    }

    /** True on PostgreSQL, where imports take the COPY bulk path ({@link BulkLoader}). */
    boolean bulk() {
        return database.postgres();
    }

    /** The bulk loader of one import, on the current transaction's connection (PostgreSQL). */
    BulkLoader bulkLoader(UUID importId, BulkLoader.Rejections rejections) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            return new BulkLoader(connection, importId, rejections);
        }
        catch (SQLException e) {
            throw new IllegalStateException("Cannot start the bulk import", e);
        }
    }

    Writer open(UUID importId) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            if (connection.isWrapperFor(PGConnection.class)) {
                return new CopyWriter(connection.unwrap(PGConnection.class), importId);
            }
            return new BatchWriter(connection, importId);
        }
        catch (SQLException e) {
            throw new IllegalStateException("Cannot stage the import", e);
        }
    }

    /** COPY ... FROM STDIN in CSV, fed from a 256 KiB buffer. */
    private static final class CopyWriter implements Writer {

        private final CopyIn copy;
        private final String importId;
        private final StringBuilder buffer = new StringBuilder(1 << 18);

        CopyWriter(PGConnection connection, UUID importId) throws SQLException {
            this.copy = connection.getCopyAPI().copyIn("COPY fleet_import_stage "
                    + "(import_id, line_no, agent_id, cluster_id, region, tz_offset, labels) FROM STDIN (FORMAT csv)");
            this.importId = importId.toString();
        }

        @Override
        public void add(long lineNo, AgentLine line) {
            buffer.append(importId).append(',').append(lineNo).append(',').append(line.agentId()).append(',')
                    .append(line.clusterId()).append(',').append(line.region()).append(',').append(line.tzOffset())
                    .append(',');
            if (line.labels() != null) {
                buffer.append('"').append(line.labels().replace("\"", "\"\"")).append('"');
            }
            buffer.append('\n');
            if (buffer.length() > (1 << 18) - 4096) {
                flush();
            }
        }

        private void flush() {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            buffer.setLength(0);
            try {
                copy.writeToCopy(bytes, 0, bytes.length);
            }
            catch (SQLException e) {
                throw new UncheckedIOException(new IOException("COPY into the import stage failed", e));
            }
        }

        @Override
        public void close() {
            flush();
            try {
                copy.endCopy();
            }
            catch (SQLException e) {
                throw new UncheckedIOException(new IOException("COPY into the import stage failed", e));
            }
        }
    }

    /** Batched INSERTs of 1,000 rows. */
    private static final class BatchWriter implements Writer {

        private final PreparedStatement insert;
        private final UUID importId;
        private int pending;

        BatchWriter(Connection connection, UUID importId) throws SQLException {
            this.insert = connection.prepareStatement("INSERT INTO fleet_import_stage "
                    + "(import_id, line_no, agent_id, cluster_id, region, tz_offset, labels) VALUES (?, ?, ?, ?, ?, ?, ?)");
            this.importId = importId;
        }

        @Override
        public void add(long lineNo, AgentLine line) {
            try {
                insert.setObject(1, importId);
                insert.setLong(2, lineNo);
                insert.setString(3, line.agentId());
                insert.setString(4, line.clusterId());
                insert.setString(5, line.region());
                insert.setInt(6, line.tzOffset());
                insert.setString(7, line.labels());
                insert.addBatch();
                if (++pending == 1000) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            catch (SQLException e) {
                throw new IllegalStateException("Staging the import failed", e);
            }
        }

        @Override
        public void close() {
            try {
                if (pending > 0) {
                    insert.executeBatch();
                }
                insert.close();
            }
            catch (SQLException e) {
                throw new IllegalStateException("Staging the import failed", e);
            }
        }
    }
}
