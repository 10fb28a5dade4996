package dev.rollout.clusterbatcher.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.ZipException;

import javax.sql.DataSource;

import dev.rollout.starter.web.ProblemException;
import dev.rollout.starter.web.RequestSizeLimitFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streaming fleet imports. While the body arrives, each line is parsed and checked, rejected by number or spooled to
 * local disk ({@link ImportSpool}). Once the whole upload is in, the import waits its turn for the fleet lock (at most
 * {@code rollout.fleet.import-lock-wait}, then 409 with Retry-After) and merges the spooled lines in one transaction
 * ({@link BulkLoader}, then {@link FleetWriter}). A large upload (from {@code rollout.fleet.merge-while-receiving-from}
 * lines) that finds the fleet free is merged while it still arrives instead ({@link MergeWhileReceiving}), giving way
 * to the first session that waits for it; either way a slow client delays nobody, and an upload that fails merges
 * nothing. Progress (lines received, merged, rejected) is on the import's own record all along.
 */
@Service
public class FleetImports {

    private static final Logger log = LoggerFactory.getLogger(FleetImports.class);

    /** Rejected lines kept with their reasons; beyond this they are counted only. */
    static final int KEPT_REJECTIONS = 1000;
    static final int PROGRESS_EVERY = 100_000;

    private static final int RECEIVED = 0;
    private static final int REJECTED = 1;
    private static final int MERGED = 2;

    record Rejection(long line, String reason) {
    }

    /**
     * An import as it stands. {@code received}: lines read so far (the header and blank lines aside); {@code merged}:
     * while MERGING the lines handed to the database so far, once COMPLETED the agents imported or updated.
     */
    record Summary(UUID id, String format, String status, long received, long merged, long imported, long updated,
            long rejected, List<Rejection> rejections, String requestedBy, Instant startedAt, Instant finishedAt,
            String error) {
    }

    /** What an import with a client-chosen id answered: a new import, or one that had completed before. */
    record Outcome(Summary summary, boolean created) {
    }

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final FleetWriter writer;
    private final TransactionTemplate work;
    private final TransactionTemplate progress;
    private final JsonMapper json;
    private final Clock clock;
    private final Path spoolDirectory;
    private final Duration lockWait;
    private final long loadThenIndexFrom;
    private final String indexBuildMemory;
    private final long mergeWhileReceivingFrom;

    FleetImports(JdbcTemplate jdbc, DataSource dataSource, FleetWriter writer, PlatformTransactionManager transactions,
            JsonMapper json, Clock clock, @Value("${rollout.fleet.spool-directory:${java.io.tmpdir}}") Path spoolDirectory,
            @Value("${rollout.fleet.import-lock-wait:PT10M}") Duration lockWait,
            @Value("${rollout.fleet.load-then-index-from:100000}") long loadThenIndexFrom,
            @Value("${rollout.fleet.index-build-memory:1GB}") String indexBuildMemory,
            @Value("${rollout.fleet.merge-while-receiving-from:100000}") long mergeWhileReceivingFrom) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.writer = writer;
        this.work = new TransactionTemplate(transactions);
        this.progress = new TransactionTemplate(transactions);
        this.progress.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.json = json;
        this.clock = clock;
        this.spoolDirectory = spoolDirectory;
        this.lockWait = lockWait;
        this.loadThenIndexFrom = loadThenIndexFrom;
        this.indexBuildMemory = FirstRegistration.buildMemory(indexBuildMemory);
        this.mergeWhileReceivingFrom = mergeWhileReceivingFrom;
    }

    /**
     * Imports an upload under {@code id}; returns when the merge has committed. An id that completed before answers its
     * summary again without reading the body (a client retrying); one that is running is a 409; one that failed runs
     * again.
     */
    public Outcome run(UUID id, InputStream body, FleetLineParser.Format format, String actor) {
        if (!begin(id, format, actor)) {
            return new Outcome(find(id), false);
        }
        List<Rejection> rejections = new ArrayList<>();
        AtomicLongArray counts = new AtomicLongArray(3); // received, rejected, merged
        try (ImportSpool spool = new ImportSpool(spoolDirectory);
                MergeWhileReceiving early = new MergeWhileReceiving(mergeWhileReceivingFrom,
                        lines -> mergeWhileReceiving(id, lines, rejections, counts))) {
            receive(id, body, format, spool, early, rejections, counts);
            FleetWriter.Merged merged = early.result();
            if (merged == null) {
                status(id, counts, "QUEUED");
                merged = work.execute(tx -> merge(id, spool, rejections, counts));
            }
            log.info("Fleet import {}: {} lines, {} imported, {} updated, {} rejected", id, counts.get(RECEIVED),
                    merged.imported(), merged.updated(), counts.get(REJECTED));
            writer.refreshStatistics(merged.imported());
        }
        catch (DataAccessException e) {
            if (!lockTimedOut(e)) {
                fail(id, counts, "the import failed: " + rootMessage(e));
                log.warn("Fleet import {} failed", id, e);
                throw e;
            }
            fail(id, counts, "the fleet stayed locked by other imports or a plan freeze for more than " + lockWait
                    + "; nothing was merged: send the upload again");
            throw new ProblemException(HttpStatus.CONFLICT, "Another import is merging into the fleet and held it for more "
                    + "than " + lockWait + "; nothing of this upload was merged: send it again").withHeader("Retry-After",
                            "30");
        }
        catch (ProblemException e) {
            fail(id, counts, e.getMessage());
            throw e;
        }
        catch (RequestSizeLimitFilter.BodyTooLargeException e) {
            fail(id, counts, e.getMessage());
            throw new UncheckedIOException(e); // a 413, as for any body past its path's limit
        }
        catch (IOException e) {
            // the body broke off, or the spool's disk failed: nothing was merged
            fail(id, counts, "the upload could not be read or kept: " + rootMessage(e));
            log.warn("Fleet import {} failed: {}", id, e.toString());
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "The upload could not be read to its end or kept "
                    + "on the service's disk (" + rootMessage(e) + "); nothing was merged: send it again")
                    .withHeader("Retry-After", "30");
        }
        catch (RuntimeException e) {
            fail(id, counts, "the import failed: " + rootMessage(e));
            log.warn("Fleet import {} failed", id, e);
            throw e;
        }
        return new Outcome(find(id), true);
    }

    /** Records a new import as RECEIVING; false when {@code id} completed before. */
    private boolean begin(UUID id, FleetLineParser.Format format, String actor) {
        return Boolean.TRUE.equals(progress.execute(tx -> {
            Timestamp now = Timestamp.from(clock.instant());
            if (jdbc.update("INSERT INTO fleet_import (id, format, status, received, merged, imported, updated, rejected,"
                    + " requested_by, started_at) VALUES (?, ?, 'RECEIVING', 0, 0, 0, 0, 0, ?, ?) ON CONFLICT (id) DO NOTHING",
                    id, format.name(), actor, now) == 1) {
                return true;
            }
            // a failed import runs again under its id
            if (jdbc.update("UPDATE fleet_import SET format = ?, status = 'RECEIVING', received = 0, merged = 0,"
                    + " imported = 0, updated = 0, rejected = 0, requested_by = ?, started_at = ?, finished_at = NULL,"
                    + " error = NULL WHERE id = ? AND status = 'FAILED'", format.name(), actor, now, id) == 1) {
                jdbc.update("DELETE FROM fleet_import_rejection WHERE import_id = ?", id);
                return true;
            }
            String status = jdbc.queryForObject("SELECT status FROM fleet_import WHERE id = ?", String.class, id);
            if ("COMPLETED".equals(status)) {
                return false;
            }
            throw new ProblemException(HttpStatus.CONFLICT, "Fleet import " + id + " is running (" + status
                    + "); follow it with GET /api/fleet/imports/" + id).withHeader("Retry-After", "10");
        }));
    }

    /** Reads the whole body: every line checked, rejected by number or spooled. No lock is held. */
    private void receive(UUID id, InputStream body, FleetLineParser.Format format, ImportSpool spool,
            MergeWhileReceiving early, List<Rejection> rejections, AtomicLongArray counts) throws IOException {
        FleetLineParser parser = new FleetLineParser(format, json);
        long lineNo = 0;
        try (UploadLines lines = new UploadLines(body)) {
            boolean header = parser.expectsHeader();
            String line;
            while ((line = lines.next()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                if (header) {
                    try {
                        parser.header(lines.tooLong() ? "" : line);
                    }
                    catch (IllegalArgumentException e) {
                        throw ProblemException.unprocessable("line " + lineNo + ": " + e.getMessage());
                    }
                    header = false;
                    continue;
                }
                long received = counts.incrementAndGet(RECEIVED);
                AgentLine agent = null;
                try {
                    if (lines.tooLong()) {
                        throw new IllegalArgumentException("the line is longer than " + UploadLines.MAX_LENGTH
                                + " characters");
                    }
                    agent = parser.parse(line);
                }
                catch (IllegalArgumentException e) {
                    counts.incrementAndGet(REJECTED);
                    keep(rejections, lineNo, e.getMessage());
                }
                if (agent != null) {
                    spool.add(lineNo, agent);
                    early.add(lineNo, agent);
                }
                if (received % PROGRESS_EVERY == 0) {
                    status(id, counts, early.merging() ? "MERGING" : "RECEIVING");
                }
            }
            if (header) {
                throw ProblemException.unprocessable("the upload is empty: a CSV upload starts with the header "
                        + "agent_id,cluster,region,time_zone,labels");
            }
        }
        catch (ZipException e) {
            throw ProblemException.badRequest("The body is sent with Content-Encoding gzip but is not valid gzip after "
                    + "line " + lineNo + ": " + e.getMessage());
        }
    }

    /** Under the fleet lock, in the caller's transaction: the spooled lines into the fleet. */
    private FleetWriter.Merged merge(UUID id, ImportSpool spool, List<Rejection> rejections, AtomicLongArray counts) {
        jdbc.execute("SET LOCAL lock_timeout = '" + Math.max(1, lockWait.toMillis()) + "ms'");
        writer.lock();
        jdbc.execute("SET LOCAL lock_timeout = 0");
        status(id, counts, "MERGING");
        Instant at = clock.instant();
        FirstRegistration registration = FirstRegistration.begin(jdbc, counts.get(RECEIVED) - counts.get(REJECTED),
                loadThenIndexFrom, indexBuildMemory);
        long bulkImported;
        Connection connection = DataSourceUtils.getConnection(dataSource);
        // rejections arrive on the loader's worker thread
        try (BulkLoader loader = new BulkLoader(connection, id, (line, reason) -> {
            counts.incrementAndGet(REJECTED);
            keep(rejections, line, reason);
        })) {
            spool.replay((line, agent) -> {
                try {
                    loader.add(line, agent);
                }
                catch (SQLException e) {
                    throw new IllegalStateException("Bulk import failed at line " + line, e);
                }
                if (counts.incrementAndGet(MERGED) % PROGRESS_EVERY == 0) {
                    status(id, counts, "MERGING");
                }
            });
            bulkImported = loader.finish().imported();
        }
        catch (SQLException e) {
            throw new IllegalStateException("Bulk import failed", e);
        }
        return complete(id, at, registration, bulkImported, rejections, counts);
    }

    /**
     * On its own thread, in a transaction of its own: merges an upload while it arrives, if the fleet lock is free now;
     * {@code null} when it is not, or when the merge gave way to a session waiting for it (rolled back).
     */
    private FleetWriter.Merged mergeWhileReceiving(UUID id, MergeWhileReceiving lines, List<Rejection> received,
            AtomicLongArray counts) {
        List<Rejection> rejections = new ArrayList<>();
        AtomicLong rejected = new AtomicLong();
        try {
            return work.execute(tx -> {
                if (!writer.tryLock()) {
                    log.info("Fleet import {}: the fleet is busy; the upload is merged once it is in, in its turn", id);
                    return null;
                }
                status(id, counts, "MERGING");
                Instant at = clock.instant();
                FirstRegistration registration = FirstRegistration.begin(jdbc, lines.from(), loadThenIndexFrom,
                        indexBuildMemory);
                Integer pid = jdbc.queryForObject("SELECT pg_backend_pid()", Integer.class);
                Connection connection = DataSourceUtils.getConnection(dataSource);
                long bulkImported;
                try (BulkLoader loader = new BulkLoader(connection, id, (line, reason) -> {
                    rejected.incrementAndGet();
                    counts.incrementAndGet(REJECTED);
                    keep(rejections, line, reason);
                })) {
                    List<MergeWhileReceiving.Line> chunk;
                    while ((chunk = lines.next(() -> waitsFor(id, pid), () -> status(id, counts, "MERGING"))) != null) {
                        for (MergeWhileReceiving.Line line : chunk) {
                            loader.add(line.lineNo(), line.agent());
                        }
                        counts.addAndGet(MERGED, chunk.size());
                    }
                    bulkImported = loader.finish().imported();
                }
                catch (SQLException e) {
                    throw new IllegalStateException("Bulk import failed", e);
                }
                // the whole upload is in: the lines rejected while it was read are all known
                synchronized (received) {
                    rejections.addAll(received);
                }
                rejections.sort(Comparator.comparingLong(Rejection::line));
                if (rejections.size() > KEPT_REJECTIONS) {
                    rejections.subList(KEPT_REJECTIONS, rejections.size()).clear();
                }
                return complete(id, at, registration, bulkImported, rejections, counts);
            });
        }
        catch (MergeWhileReceiving.GaveWay e) {
            counts.addAndGet(REJECTED, -rejected.get());
            counts.set(MERGED, 0);
            status(id, counts, "RECEIVING");
            log.info("Fleet import {}: merging while receiving gave way ({}); rolled back, the upload is merged once "
                    + "it is in, in its turn", id, e.getMessage());
            return null;
        }
    }

    /** Whether another session waits for one of the locks held by the backend {@code pid}; checked on a connection of its own. */
    private boolean waitsFor(UUID id, int pid) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT pid, wait_event_type, left(query, 120)"
                        + " FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid)) LIMIT 1")) {
            s.setInt(1, pid);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    log.info("Fleet import {}: session {} waits ({}) for the import's locks: {}", id, rs.getInt(1),
                            rs.getString(2), rs.getString(3));
                    return true;
                }
                return false;
            }
        }
        catch (SQLException e) {
            log.warn("Fleet import {}: could not tell whether another session waits; giving way: {}", id, e.getMessage());
            return true;
        }
    }

    /** The end of a merge, in its transaction: duplicates of the stage, known agents, the index, the record. */
    private FleetWriter.Merged complete(UUID id, Instant at, FirstRegistration registration, long bulkImported,
            List<Rejection> rejections, AtomicLongArray counts) {
        counts.addAndGet(REJECTED, writer.rejectDuplicates(id, (line, first) ->
                keep(rejections, line, "duplicate agent id: the same id is on line " + first)));
        FleetWriter.Merged fromStage = writer.merge(id, at);
        if (registration != null) {
            status(id, counts, "INDEXING");
            long start = System.nanoTime();
            registration.finish();
            log.info("Fleet import {}: a first registration; the stratum index built after the load in {} ms", id,
                    (System.nanoTime() - start) / 1_000_000);
        }
        FleetWriter.Merged result = new FleetWriter.Merged(fromStage.imported() + bulkImported, fromStage.updated());
        finish(id, counts, result, rejections);
        return result;
    }

    private static void keep(List<Rejection> rejections, long line, String reason) {
        synchronized (rejections) {
            if (rejections.size() < KEPT_REJECTIONS) {
                rejections.add(new Rejection(line, truncate(reason, 500)));
            }
        }
    }

    private void status(UUID id, AtomicLongArray counts, String status) {
        progress.executeWithoutResult(tx -> jdbc.update("UPDATE fleet_import SET status = ?, received = ?, rejected = ?,"
                + " merged = ? WHERE id = ?", status, counts.get(RECEIVED), counts.get(REJECTED), counts.get(MERGED), id));
    }

    private void fail(UUID id, AtomicLongArray counts, String reason) {
        progress.executeWithoutResult(tx -> jdbc.update("UPDATE fleet_import SET status = 'FAILED', received = ?,"
                + " rejected = ?, merged = 0, finished_at = ?, error = ? WHERE id = ?", counts.get(RECEIVED),
                counts.get(REJECTED), Timestamp.from(clock.instant()), truncate(reason, 2000), id));
    }

    private void finish(UUID id, AtomicLongArray counts, FleetWriter.Merged merged, List<Rejection> rejections) {
        jdbc.batchUpdate("INSERT INTO fleet_import_rejection (import_id, line_no, reason) VALUES (?, ?, ?)",
                rejections, 500, (ps, r) -> {
                    ps.setObject(1, id);
                    ps.setLong(2, r.line());
                    ps.setString(3, r.reason());
                });
        jdbc.update("UPDATE fleet_import SET status = 'COMPLETED', received = ?, merged = ?, imported = ?, updated = ?,"
                + " rejected = ?, finished_at = ? WHERE id = ?", counts.get(RECEIVED), merged.imported() + merged.updated(),
                merged.imported(), merged.updated(), counts.get(REJECTED), Timestamp.from(clock.instant()), id);
    }

    /** An import's summary with its first rejected lines (progress while it runs). */
    public Summary find(UUID id) {
        List<Summary> found = jdbc.query(SELECT + " WHERE id = ?", (rs, n) -> summary(rs, rejections(id)), id);
        if (found.isEmpty()) {
            throw ProblemException.notFound("Fleet import", id);
        }
        return found.get(0);
    }

    /** The latest imports, newest first, running ones among them (without their rejected lines). */
    public List<Summary> latest(int limit) {
        return jdbc.query(SELECT + " ORDER BY started_at DESC LIMIT ?", (rs, n) -> summary(rs, List.of()), limit);
    }

    private static final String SELECT = "SELECT id, format, status, received, merged, imported, updated, rejected,"
            + " requested_by, started_at, finished_at, error FROM fleet_import";

    private static Summary summary(ResultSet rs, List<Rejection> rejections) throws SQLException {
        return new Summary(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                rs.getLong(6), rs.getLong(7), rs.getLong(8), rejections, rs.getString(9), rs.getTimestamp(10).toInstant(),
                rs.getTimestamp(11) == null ? null : rs.getTimestamp(11).toInstant(), rs.getString(12));
    }

    private List<Rejection> rejections(UUID id) {
        return jdbc.query("SELECT line_no, reason FROM fleet_import_rejection WHERE import_id = ? ORDER BY line_no",
                (rs, n) -> new Rejection(rs.getLong(1), rs.getString(2)), id);
    }

    /** Whether the fleet lock was not had within the wait (PostgreSQL's lock_not_available). */
    private static boolean lockTimedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
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
