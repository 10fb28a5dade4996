package dev.rollout.clusterbatcher.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.rollout.starter.web.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streaming fleet imports: reads the upload line by line (memory bounded whatever its size), stages
 * valid lines in bulk, rejects the others by line number, merges in one transaction, and reports
 * progress on its own record while it runs.
 */
@Service
public class FleetImports {

    private static final Logger log = LoggerFactory.getLogger(FleetImports.class);

    /** Rejected lines kept with their reasons; beyond this they are counted only. */
    static final int KEPT_REJECTIONS = 1000;
    static final int PROGRESS_EVERY = 100_000;

    record Rejection(long line, String reason) {
    }

    record Summary(UUID id, String format, String status, long received, long imported, long updated, long rejected,
            List<Rejection> rejections, String requestedBy, java.time.Instant startedAt, java.time.Instant finishedAt,
            String error) {
    }

    private final JdbcTemplate jdbc;
    private final Staging staging;
    private final FleetWriter writer;
    private final TransactionTemplate work;
    private final TransactionTemplate progress;
    private final JsonMapper json;
    private final Clock clock;

    FleetImports(JdbcTemplate jdbc, Staging staging, FleetWriter writer, PlatformTransactionManager transactions,
            JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.staging = staging;
        this.writer = writer;
        this.work = new TransactionTemplate(transactions);
        this.progress = new TransactionTemplate(transactions);
        this.progress.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.json = json;
        this.clock = clock;
    }

    /** Imports an upload; returns its summary when the merge has committed. */
    public Summary run(InputStream body, FleetLineParser.Format format, String actor) {
        UUID id = UUID.randomUUID();
        progress.executeWithoutResult(tx -> jdbc.update("INSERT INTO fleet_import (id, format, status, received,"
                + " imported, updated, rejected, requested_by, started_at) VALUES (?, ?, 'RUNNING', 0, 0, 0, 0, ?, ?)",
                id, format.name(), actor, Timestamp.from(clock.instant())));
        List<Rejection> rejections = new ArrayList<>();
        long[] counts = new long[2]; // received, rejected
        try {
            FleetWriter.Merged merged = work.execute(tx -> {
                writer.lock();
                long t0 = System.nanoTime();
                java.time.Instant at = clock.instant();
                long bulkImported = 0;
                if (staging.bulk()) {
                    try (BulkLoader loader = staging.bulkLoader(id, (line, reason) -> {
                        synchronized (rejections) {
                            counts[1]++;
                            keep(rejections, line, reason);
                        }
                    })) {
                        stream(id, body, format, rejections, counts, (line, agent) -> {
                            try {
                                loader.add(line, agent);
                            }
                            catch (java.sql.SQLException e) {
                                throw new IllegalStateException("Bulk import failed at line " + line, e);
                            }
                        });
                        bulkImported = loader.finish().imported();
                    }
                    catch (java.sql.SQLException e) {
                        throw new IllegalStateException("Bulk import failed", e);
                    }
                }
                else {
                    try (Staging.Writer stage = staging.open(id)) {
                        stream(id, body, format, rejections, counts, stage::add);
                    }
                }
                long t1 = System.nanoTime();
                counts[1] += writer.rejectDuplicates(id, (line, first) ->
                        keep(rejections, line, "duplicate agent id: the same id is on line " + first));
                log.debug("Import {}: {} lines staged in {} ms, duplicates checked in {} ms", id, counts[0],
                        (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
                progress(id, counts, "MERGING");
                FleetWriter.Merged fromStage = writer.merge(id, at);
                FleetWriter.Merged result = new FleetWriter.Merged(fromStage.imported() + bulkImported,
                        fromStage.updated());
                finish(id, counts, result, rejections);
                return result;
            });
            log.info("Fleet import {}: {} lines, {} imported, {} updated, {} rejected", id, counts[0], merged.imported(),
                    merged.updated(), counts[1]);
            writer.refreshStatistics(merged.imported());
        }
        catch (RuntimeException e) {
            String reason = e instanceof ProblemException ? e.getMessage() : "the import failed: " + rootMessage(e);
            progress.executeWithoutResult(tx -> jdbc.update("UPDATE fleet_import SET status = 'FAILED', received = ?,"
                    + " rejected = ?, finished_at = ?, error = ? WHERE id = ?", counts[0], counts[1],
                    Timestamp.from(clock.instant()), truncate(reason, 2000), id));
            if (e instanceof ProblemException) {
                throw e;
            }
            log.warn("Fleet import {} failed", id, e);
        }
        return find(id);
    }

    /** Where valid lines go. */
    private interface Sink {
        void add(long line, AgentLine agent);
    }

    private void stream(UUID id, InputStream body, FleetLineParser.Format format, List<Rejection> rejections,
            long[] counts, Sink sink) {
        FleetLineParser parser = new FleetLineParser(format, json);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16)) {
            long lineNo = 0;
            String line;
            boolean header = parser.expectsHeader();
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                if (header) {
                    try {
                        parser.header(line);
                    }
                    catch (IllegalArgumentException e) {
                        throw ProblemException.unprocessable("line 1: " + e.getMessage());
                    }
                    header = false;
                    continue;
                }
                counts[0]++;
                AgentLine agent;
                try {
                    agent = parser.parse(line);
                }
                catch (IllegalArgumentException e) {
                    synchronized (rejections) {
                        counts[1]++;
                        keep(rejections, lineNo, e.getMessage());
                    }
                    agent = null;
                }
                if (agent != null) {
                    sink.add(lineNo, agent);
                }
                if (counts[0] % PROGRESS_EVERY == 0) {
                    progress(id, counts, "RUNNING");
                }
            }
            if (header) {
                throw ProblemException.unprocessable("the upload is empty: a CSV upload starts with the header "
                        + "agent_id,cluster,region,time_zone,labels");
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void keep(List<Rejection> rejections, long line, String reason) {
        if (rejections.size() < KEPT_REJECTIONS) {
            rejections.add(new Rejection(line, truncate(reason, 500)));
        }
    }

    private void progress(UUID id, long[] counts, String status) {
        progress.executeWithoutResult(tx -> jdbc.update("UPDATE fleet_import SET status = ?, received = ?, rejected = ?"
                + " WHERE id = ?", status, counts[0], counts[1], id));
    }

    private void finish(UUID id, long[] counts, FleetWriter.Merged merged, List<Rejection> rejections) {
        jdbc.batchUpdate("INSERT INTO fleet_import_rejection (import_id, line_no, reason) VALUES (?, ?, ?)",
                rejections, 500, (ps, r) -> {
                    ps.setObject(1, id);
                    ps.setLong(2, r.line());
                    ps.setString(3, r.reason());
                });
        jdbc.update("UPDATE fleet_import SET status = 'COMPLETED', received = ?, imported = ?, updated = ?, rejected = ?,"
                + " finished_at = ? WHERE id = ?", counts[0], merged.imported(), merged.updated(), counts[1],
                Timestamp.from(clock.instant()), id);
    }

    /** An import's summary with its first rejected lines (progress while it runs). */
    public Summary find(UUID id) {
        List<Summary> found = jdbc.query("SELECT id, format, status, received, imported, updated, rejected, requested_by,"
                + " started_at, finished_at, error FROM fleet_import WHERE id = ?", (rs, n) -> new Summary(
                        rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rejections(id), rs.getString(8),
                        rs.getTimestamp(9).toInstant(),
                        rs.getTimestamp(10) == null ? null : rs.getTimestamp(10).toInstant(), rs.getString(11)), id);
        if (found.isEmpty()) {
            throw ProblemException.notFound("Fleet import", id);
        }
        return found.get(0);
    }

    private List<Rejection> rejections(UUID id) {
        return jdbc.query("SELECT line_no, reason FROM fleet_import_rejection WHERE import_id = ? ORDER BY line_no",
                (rs, n) -> new Rejection(rs.getLong(1), rs.getString(2)), id);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
