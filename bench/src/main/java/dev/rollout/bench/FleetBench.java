package dev.rollout.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import dev.rollout.clusterbatcher.ClusterBatcherApplication;
import dev.rollout.clusterbatcher.plan.BatchPlanner;
import org.postgresql.PGConnection;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The cluster-batcher's performance bars, each side by side with its baseline in the same run, on a
 * fresh PostgreSQL database:
 * <ol>
 * <li>the fleet's first registration, N agents in one {@code POST /api/fleet/imports} into an empty fleet, vs
 *     PostgreSQL loading the same rows into a bare table then building the same two indexes; and 1,000,000 more
 *     agents into the fleet of N vs a raw COPY of them into that table of N with both indexes;</li>
 * <li>activating and deactivating a 1,000,000-agent batch at a 1,000,000-agent fleet and at N;</li>
 * <li>desired-state lookups, one agent and 10,000 at a time (throughput and p99);</li>
 * <li>acknowledgements of a whole batch through {@code POST /agent/v1/acks} vs a raw COPY of the same rows.</li>
 * </ol>
 * {@code java ... dev.rollout.bench.FleetBench --agents 20000000 --clusters 10 [--registration-only]}
 */
public final class FleetBench {

    static final String ADMIN_URL = env("BENCH_PG_ADMIN_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String USER = env("BENCH_PG_USER", "postgres");
    static final String DB = env("BENCH_PG_DB", "rollout_bench");
    static final String DB_URL = ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + DB;

    /** {@code agent} as the fleet's first migration made it, and the two indexes cluster-batcher keeps on it. */
    static final String RAW_TABLE = "CREATE TABLE raw_agent (agent_id VARCHAR(128) NOT NULL, cluster_id VARCHAR(64) NOT NULL,"
            + " region VARCHAR(64) NOT NULL, tz_offset SMALLINT NOT NULL, labels VARCHAR(2000), stratum_rank BIGINT NOT NULL,"
            + " registered_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ, stratum_id INT NOT NULL,"
            + " seat BIGINT GENERATED ALWAYS AS (stratum_rank * 16777216 + stratum_id) STORED)";
    static final String RAW_COLUMNS = "raw_agent (agent_id, cluster_id, region, tz_offset, labels, stratum_rank, stratum_id)";
    static final String RAW_KEY = "ALTER TABLE raw_agent ADD PRIMARY KEY (agent_id) INCLUDE (cluster_id, tz_offset, stratum_rank)";
    static final String RAW_STRATUM_INDEX = "CREATE UNIQUE INDEX raw_agent_stratum ON raw_agent"
            + " (seat) INCLUDE (agent_id, region)";

    final long agents;
    final int clusters;
    final Path dir;
    final Map<String, Object> results = new LinkedHashMap<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String base;

    /** The token of an agent gateway that speaks for every cluster of the benchmark's fleet. */
    String gateway() {
        return "dev-gateway-" + String.join("+", IntStream.range(0, clusters)
                .mapToObj(c -> "cluster-" + c).toList());
    }

    final boolean registrationOnly;

    FleetBench(long agents, int clusters, Path dir, boolean registrationOnly) {
        this.agents = agents;
        this.clusters = clusters;
        this.dir = dir;
        this.registrationOnly = registrationOnly;
    }

    public static void main(String[] args) throws Exception {
        long agents = 20_000_000;
        int clusters = 10;
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--agents")) {
                agents = Long.parseLong(args[i + 1].replace("_", ""));
            }
            if (args[i].equals("--clusters")) {
                clusters = Integer.parseInt(args[i + 1]);
            }
        }
        Path dir = Path.of(env("BENCH_DIR", "bench/target/fleet"));
        Files.createDirectories(dir);
        new FleetBench(agents, clusters, dir, List.of(args).contains("--registration-only")).run();
    }

    void run() throws Exception {
        long first = Math.min(1_000_000, agents);
        long growth = Math.min(1_000_000, agents);
        say("Fleet benchmark: %,d agents, %d clusters x 24 time zones, %d cores, database %s", agents, clusters,
                Runtime.getRuntime().availableProcessors(), DB_URL);
        recreateDatabase();
        Path fleet = dir.resolve("fleet.csv");
        Path more = dir.resolve("fleet-growth.csv");
        Path rawFleet = dir.resolve("fleet-raw.csv");
        Path rawMore = dir.resolve("fleet-growth-raw.csv");
        writeFleet(fleet, 0, agents, false);
        writeFleet(more, agents, agents + growth, false);
        writeFleet(rawFleet, 0, agents, true);
        writeFleet(rawMore, agents, agents + growth, true);

        // 1. PostgreSQL's own figures for the same rows, in this run: a COPY into a bare table; then the agent key and
        //    the stratum index built (load then index); then 1,000,000 more copied into that table with both indexes;
        //    and, for the record, the whole fleet copied into a table whose two indexes are maintained row by row
        try (Connection c = connect()) {
            exec(c, RAW_TABLE);
            double bare = copyCsv(c, RAW_COLUMNS, rawFleet, false);
            exec(c, "SET maintenance_work_mem = '1GB'");
            long t0 = System.nanoTime();
            exec(c, RAW_KEY);
            exec(c, RAW_STRATUM_INDEX);
            double indexes = (System.nanoTime() - t0) / 1e9;
            results.put("registration.rawBareCopySeconds", bare);
            results.put("registration.rawIndexBuildSeconds", indexes);
            results.put("registration.loadThenIndexSeconds", bare + indexes);
            say("raw: COPY of %,d agents into a bare table %.1f s, then its two indexes built %.1f s: load then index %.1f s",
                    agents, bare, indexes, bare + indexes);
            double rawGrowth = copyCsv(c, RAW_COLUMNS, rawMore, false);
            results.put("growth.rawCopySeconds", rawGrowth);
            say("raw: COPY of %,d more agents into that table of %,d with both indexes: %.1f s", growth, agents, rawGrowth);
            exec(c, "DROP TABLE raw_agent");
            exec(c, RAW_TABLE);
            exec(c, RAW_KEY);
            exec(c, RAW_STRATUM_INDEX);
            double maintained = copyCsv(c, RAW_COLUMNS, rawFleet, false);
            results.put("registration.rawCopyWithIndexesSeconds", maintained);
            say("raw: COPY of %,d agents into a table whose two indexes are maintained row by row: %.1f s", agents,
                    maintained);
            exec(c, "DROP TABLE raw_agent");
            exec(c, "VACUUM");
        }

        ConfigurableApplicationContext app = SpringApplication.run(ClusterBatcherApplication.class,
                "--server.port=0", "--server.address=127.0.0.1", "--rollout.security.mode=DEV",
                // the benchmark measures the agent path's capacity: no rate limit in front of it
                "--rollout.agent-api.rate-limit.per-identity=100000000", "--rollout.agent-api.rate-limit.per-instance=100000000",
                "--spring.datasource.url=" + DB_URL, "--spring.datasource.username=" + USER,
                "--spring.datasource.password=", "--logging.level.root=WARN", "--logging.level.dev.rollout=" + env("BENCH_LOG", "WARN"), "--spring.main.banner-mode=off");
        try {
            base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
            // 2. the platform: the fleet's first registration (one upload into an empty fleet), then 1,000,000 more
            double registration = upload(fleet);
            results.put("registration.platformSeconds", registration);
            results.put("registration.ratioToLoadThenIndex", registration / (double) results.get("registration.loadThenIndexSeconds"));
            say("platform: first registration of %,d agents %.1f s (%.2fx load then index; %.2fx the COPY with maintained"
                    + " indexes)", agents, registration, results.get("registration.ratioToLoadThenIndex"),
                    registration / (double) results.get("registration.rawCopyWithIndexesSeconds"));
            // the fleet at rest, as the raw table is: the vacuum the platform starts after a registration has ended
            double upkeep = awaitVacuum();
            results.put("growth.vacuumAwaitedSeconds", upkeep);
            say("the platform's vacuum of the registered fleet ended %.1f s after the registration", upkeep);
            double grown = upload(more);
            results.put("growth.platformSeconds", grown);
            results.put("growth.ratio", grown / (double) results.get("growth.rawCopySeconds"));
            say("platform: %,d more agents into the fleet of %,d: %.1f s (%.2fx raw COPY)", growth, agents, grown,
                    results.get("growth.ratio"));
            try (Connection c = connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT c.relname, pg_relation_size(c.oid) FROM pg_class c"
                            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'cluster_batcher'"
                            + " AND c.relname IN ('agent', 'agent_pkey', 'agent_stratum_rank') ORDER BY 1")) {
                StringBuilder sizes = new StringBuilder();
                while (rs.next()) {
                    results.put("size." + rs.getString(1) + "Bytes", rs.getLong(2));
                    sizes.append(sizes.isEmpty() ? "" : ", ").append(rs.getString(1)).append(' ')
                            .append(rs.getLong(2) / (1 << 20)).append(" MB");
                }
                say("the fleet of %,d agents on disk: %s", agents + growth, sizes);
            }
            leafDensity();
            if (!registrationOnly) {
                Path partA = dir.resolve("fleet-a.csv");
                writeFleet(partA, 0, first, false);
                UUID big = UUID.randomUUID();
                double freezeSeconds = freeze(big);
                results.put("plan.freezeSeconds", freezeSeconds);
                activation(partA, big);
                post("/api/rollouts/" + big + "/batches/1/activation", "dev-service", "");
                lookups();
                acks(big);
            }
        }
        finally {
            app.close();
        }
        say("RESULTS %s", results);
        Files.writeString(dir.resolve("results.json"), toJson(results));
    }

    // ---- fleet ----

    /**
     * Agents {@code from} to {@code to}: agent i in cluster (i / 24) mod clusters, zone i mod 24. As the upload's CSV,
     * or ({@code raw}) as rows of {@code raw_agent}: the zone's offset, the rank the platform gives the agent in its
     * stratum (the agents of a stratum arrive in order, so agent i is the (i / (24 x clusters))-th) and a number of its
     * stratum.
     */
    void writeFleet(Path file, long from, long to, boolean raw) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            if (!raw) {
                out.write("agent_id,cluster,region,time_zone,labels\n");
            }
            for (long i = from; i < to; i++) {
                int zone = (int) (i % 24) - 11;
                int cluster = (int) ((i / 24) % clusters);
                out.write(agentId(i));
                out.write(",cluster-");
                out.write(Integer.toString(cluster));
                out.write(",region-");
                out.write(Integer.toString(cluster % 4));
                if (raw) {
                    out.write(',');
                    out.write(Integer.toString(zone));
                    out.write(",,");
                    out.write(Long.toString(i / (24L * clusters)));
                    out.write(',');
                    out.write(Integer.toString(cluster * 24 + (int) (i % 24) + 1));
                    out.write('\n');
                }
                else {
                    out.write(zone < 0 ? ",UTC" : ",UTC+");
                    out.write(Integer.toString(zone));
                    out.write(",\n");
                }
            }
        }
    }

    static String agentId(long i) {
        return "agent-" + String.format("%09d", i);
    }

    /** How full the stratum index's leaf pages are (pgstatindex, where the pgstattuple extension can be created). */
    void leafDensity() {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple");
            try (ResultSet rs = st.executeQuery("SELECT avg_leaf_density, leaf_pages FROM pgstatindex("
                    + "'cluster_batcher.agent_stratum_rank')")) {
                rs.next();
                results.put("size.agent_stratum_rankLeafDensity", rs.getDouble(1));
                say("the stratum index's leaf pages %.1f%% full on average (%,d pages)", rs.getDouble(1), rs.getLong(2));
            }
        }
        catch (SQLException e) {
            say("the stratum index's leaf density not measured: %s", e.getMessage());
        }
    }

    /**
     * Waits until the {@code VACUUM agent} the platform queues after an import has run in the benchmark's database (or
     * for 3 s, if none started); the seconds waited.
     */
    double awaitVacuum() throws Exception {
        long t0 = System.nanoTime();
        boolean seen = false;
        try (Connection c = connect(); PreparedStatement running = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND state = 'active' AND query ILIKE 'VACUUM agent%'")) {
            while (true) {
                try (ResultSet rs = running.executeQuery()) {
                    rs.next();
                    seen |= rs.getInt(1) > 0;
                    if (rs.getInt(1) == 0 && (seen || System.nanoTime() - t0 > 3_000_000_000L)) {
                        return (System.nanoTime() - t0) / 1e9;
                    }
                }
                Thread.sleep(200);
            }
        }
    }

    double upload(Path file) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/fleet/imports"))
                .header("Authorization", "Bearer dev-ci").header("Content-Type", "text/csv")
                .timeout(Duration.ofHours(1)).POST(HttpRequest.BodyPublishers.ofFile(file)).build(),
                HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - start) / 1e9;
        if (r.statusCode() != 201 || !r.body().contains("\"status\":\"COMPLETED\"")) {
            throw new IllegalStateException("import failed: " + r.statusCode() + " " + r.body());
        }
        return seconds;
    }

    double freeze(UUID rollout) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = post("/api/rollouts/" + rollout + "/batch-plan", "dev-service", """
                {"batchSize": 1000000, "fleetCap": 20000000, "targetVersion": "2.4.0", "previousStableVersion": "2.3.1",
                 "components": [{"name": "planner", "version": "2.4.0", "previousVersion": "2.3.1"},
                                {"name": "memory", "version": "1.9.0", "previousVersion": "1.8.2"}]}""");
        if (r.statusCode() != 201) {
            throw new IllegalStateException("freeze failed: " + r.body());
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Activation at both fleet sizes side by side: a second cluster-batcher in this process, on a database of its
     * own holding the first 1,000,000 agents, and the two activated and deactivated in turn (the order swapped
     * every cycle), after a checkpoint, so that both see the same machine at the same moments.
     */
    void activation(Path smallFleet, UUID big) throws Exception {
        String smallDb = DB + "_small";
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, "")) {
            exec(c, "DROP DATABASE IF EXISTS " + smallDb + " WITH (FORCE)");
            exec(c, "CREATE DATABASE " + smallDb);
        }
        ConfigurableApplicationContext smallApp = SpringApplication.run(ClusterBatcherApplication.class,
                "--server.port=0", "--server.address=127.0.0.1", "--rollout.security.mode=DEV",
                "--spring.datasource.url=" + ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + smallDb,
                "--spring.datasource.username=" + USER, "--spring.datasource.password=", "--logging.level.root=WARN",
                "--spring.main.banner-mode=off");
        String bigBase = base;
        try {
            base = "http://127.0.0.1:" + smallApp.getEnvironment().getProperty("local.server.port");
            upload(smallFleet);
            UUID small = UUID.randomUUID();
            freeze(small);
            String smallBase = base;
            base = bigBase;
            try (Connection c = connect()) {
                exec(c, "CHECKPOINT");
            }
            int cycles = 41;
            double[][] on = new double[2][cycles];
            double[][] off = new double[2][cycles];
            for (int i = -4; i < cycles; i++) {
                for (int turn = 0; turn < 2; turn++) {
                    int which = (i + turn) % 2 == 0 ? 0 : 1; // 0: 1,000,000 agents, 1: the whole fleet
                    base = which == 0 ? smallBase : bigBase;
                    UUID rollout = which == 0 ? small : big;
                    long t0 = System.nanoTime();
                    check(post("/api/rollouts/" + rollout + "/batches/1/activation", "dev-service", ""));
                    long t1 = System.nanoTime();
                    check(post("/api/rollouts/" + rollout + "/deactivations", "dev-service",
                            "{\"scope\":\"BATCH\",\"batch\":1,\"reason\":\"benchmark\"}"));
                    long t2 = System.nanoTime();
                    if (i >= 0) {
                        on[which][i] = (t1 - t0) / 1e6;
                        off[which][i] = (t2 - t1) / 1e6;
                    }
                }
            }
            results.put("activation.at1M.activateMedianMs", percentile(on[0], 50));
            results.put("activation.at1M.deactivateMedianMs", percentile(off[0], 50));
            results.put("activation.atN.activateMedianMs", percentile(on[1], 50));
            results.put("activation.atN.deactivateMedianMs", percentile(off[1], 50));
            results.put("activation.activateRatio", percentile(on[1], 50) / percentile(on[0], 50));
            results.put("activation.deactivateRatio", percentile(off[1], 50) / percentile(off[0], 50));
            say("batch activation, %d interleaved cycles, median at 1M: %.2f ms, at %,d: %.2f ms (%.2fx); deactivation"
                    + " %.2f / %.2f ms (%.2fx)", cycles, percentile(on[0], 50), agents, percentile(on[1], 50),
                    percentile(on[1], 50) / percentile(on[0], 50), percentile(off[0], 50), percentile(off[1], 50),
                    percentile(off[1], 50) / percentile(off[0], 50));
        }
        finally {
            base = bigBase;
            smallApp.close();
        }
    }

    // ---- desired state ----

    void lookups() throws Exception {
        int calls = (int) Math.min(100, agents / 10_000);
        List<List<String>> idSets = new ArrayList<>();
        for (int c = 0; c < calls; c++) {
            List<String> ids = new ArrayList<>(10_000);
            for (int i = 0; i < 10_000; i++) {
                ids.add(agentId(ThreadLocalRandom.current().nextLong(agents)));
            }
            idSets.add(ids);
        }
        // baseline: the same ids read straight from the agent table over JDBC, one query per 10,000
        double[] rawMs = new double[calls];
        long rawStart = System.nanoTime();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT agent_id, cluster_id, tz_offset, stratum_rank FROM cluster_batcher.agent WHERE agent_id = ANY (?)")) {
            for (int i = 0; i < calls; i++) {
                long t = System.nanoTime();
                ps.setArray(1, c.createArrayOf("varchar", idSets.get(i).toArray()));
                int rows = 0;
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                    }
                }
                if (rows != 10_000 && rows != new HashSet<>(idSets.get(i)).size()) {
                    throw new IllegalStateException("raw lookup found " + rows + " agents");
                }
                rawMs[i] = (System.nanoTime() - t) / 1e6;
            }
        }
        double rawSeconds = (System.nanoTime() - rawStart) / 1e9;
        double[] batchMs = new double[calls];
        long start = System.nanoTime();
        for (int c = 0; c < calls; c++) {
            StringBuilder body = new StringBuilder("{\"agentIds\":[");
            for (String id : idSets.get(c)) {
                body.append(body.length() == 13 ? "\"" : ",\"").append(id).append('"');
            }
            body.append("]}");
            long t = System.nanoTime();
            check(post("/agent/v1/desired", gateway(), body.toString()));
            batchMs[c] = (System.nanoTime() - t) / 1e6;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        results.put("desired.batch10k.agentsPerSecond", calls * 10_000 / seconds);
        results.put("desired.batch10k.p50Ms", percentile(batchMs, 50));
        results.put("desired.batch10k.p99Ms", percentile(batchMs, 99));
        results.put("desired.batch10k.rawLookupAgentsPerSecond", calls * 10_000 / rawSeconds);
        results.put("desired.batch10k.rawLookupP99Ms", percentile(rawMs, 99));
        results.put("desired.batch10k.ratio", rawSeconds / seconds);
        say("desired state, 10,000 per call: %,.0f agents/s, p50 %.1f ms, p99 %.1f ms per call; raw JDBC lookup of the same"
                + " ids: %,.0f agents/s, p99 %.1f ms (%.0f%%)", calls * 10_000 / seconds, percentile(batchMs, 50),
                percentile(batchMs, 99), calls * 10_000 / rawSeconds, percentile(rawMs, 99), 100 * rawSeconds / seconds);

        int threads = 4;
        int perThread = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<double[]>> futures = new ArrayList<>();
        long s0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                double[] ms = new double[perThread];
                for (int i = 0; i < perThread; i++) {
                    long t1 = System.nanoTime();
                    String agent = agentId(ThreadLocalRandom.current().nextLong(agents));
                    check(get("/agent/v1/agents/" + agent + "/desired", "dev-agent-" + agent));
                    ms[i] = (System.nanoTime() - t1) / 1e6;
                }
                return ms;
            }));
        }
        double[] all = new double[0];
        for (Future<double[]> f : futures) {
            double[] part = f.get();
            double[] merged = Arrays.copyOf(all, all.length + part.length);
            System.arraycopy(part, 0, merged, all.length, part.length);
            all = merged;
        }
        double oneSeconds = (System.nanoTime() - s0) / 1e9;
        pool.shutdown();
        // baseline: the same number of single-row reads by primary key over JDBC, from as many clients
        ExecutorService rawPool = Executors.newFixedThreadPool(threads);
        List<Future<double[]>> rawFutures = new ArrayList<>();
        long r0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            rawFutures.add(rawPool.submit(() -> {
                double[] ms = new double[perThread];
                try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                        "SELECT cluster_id, tz_offset, stratum_rank FROM cluster_batcher.agent WHERE agent_id = ?")) {
                    for (int i = 0; i < perThread; i++) {
                        long t1 = System.nanoTime();
                        ps.setString(1, agentId(ThreadLocalRandom.current().nextLong(agents)));
                        try (var rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                throw new IllegalStateException("agent not found");
                            }
                        }
                        ms[i] = (System.nanoTime() - t1) / 1e6;
                    }
                }
                return ms;
            }));
        }
        double[] rawAll = new double[0];
        for (Future<double[]> f : rawFutures) {
            double[] part = f.get();
            double[] merged = Arrays.copyOf(rawAll, rawAll.length + part.length);
            System.arraycopy(part, 0, merged, rawAll.length, part.length);
            rawAll = merged;
        }
        double rawOneSeconds = (System.nanoTime() - r0) / 1e9;
        rawPool.shutdown();
        results.put("desired.single.requestsPerSecond", all.length / oneSeconds);
        results.put("desired.single.p50Ms", percentile(all, 50));
        results.put("desired.single.p99Ms", percentile(all, 99));
        results.put("desired.single.rawLookupsPerSecond", rawAll.length / rawOneSeconds);
        results.put("desired.single.rawP99Ms", percentile(rawAll, 99));
        results.put("desired.single.ratio", rawOneSeconds / oneSeconds);
        say("desired state, one agent per call (%d clients): %,.0f req/s, p50 %.2f ms, p99 %.2f ms; raw JDBC read by key:"
                + " %,.0f reads/s, p99 %.2f ms (%.0f%%)", threads, all.length / oneSeconds, percentile(all, 50),
                percentile(all, 99), rawAll.length / rawOneSeconds, percentile(rawAll, 99), 100 * rawOneSeconds / oneSeconds);
    }

    // ---- acknowledgements ----

    /**
     * Three rounds, each on a batch of its own (batches 1 to 3, activated first): the raw COPY of the batch's rows
     * into {@code raw_ack}, then the same rows through the agent API into {@code ack}. Both tables grow alike from
     * round to round; the figures are the medians of the rounds.
     */
    void acks(UUID rollout) throws Exception {
        int rounds = (int) Math.max(1, Math.min(Integer.parseInt(env("BENCH_ACK_ROUNDS", "3")), agents / 1_000_000));
        List<List<String>> batches = batchMembers(rollout, rounds);
        for (int b = 2; b <= rounds; b++) {
            check(post("/api/rollouts/" + rollout + "/batches/" + b + "/activation", "dev-service", ""));
        }
        try (Connection c = connect()) {
            // the same columns, key and indexes as the platform's own table
            exec(c, "CREATE TABLE raw_ack (LIKE cluster_batcher.ack INCLUDING ALL)");
        }
        double[] platformRates = new double[rounds];
        double[] rawRates = new double[rounds];
        double[] ratios = new double[rounds];
        long rows = 0;
        for (int round = 0; round < rounds; round++) {
            List<String> members = batches.get(round);
            rows += members.size();
            Path file = dir.resolve("acks.csv");
            try (BufferedWriter out = Files.newBufferedWriter(file)) {
                for (String agent : members) {
                    out.write(rollout + "," + agent + ",2.4.0," + round + ",0,true,42,120,0,2026-11-26T00:00:00Z\n");
                }
            }
            double raw;
            try (Connection c = connect()) {
                raw = copyCsv(c, "raw_ack", file, false);
            }
            double platform = ackThroughApi(rollout, members);
            rawRates[round] = members.size() / raw;
            platformRates[round] = members.size() / platform;
            ratios[round] = raw / platform;
            say("acknowledgements, batch %d (%,d rows): %,.0f rows/s through the agent API vs %,.0f rows/s raw COPY (%.0f%%)",
                    round + 1, members.size(), platformRates[round], rawRates[round], 100 * ratios[round]);
        }
        results.put("acks.rows", rows);
        results.put("acks.rounds", rounds);
        results.put("acks.platformRowsPerSecond", percentile(platformRates, 50));
        results.put("acks.rawCopyRowsPerSecond", percentile(rawRates, 50));
        results.put("acks.ratio", percentile(ratios, 50));
        results.put("acks.ratioMin", Arrays.stream(ratios).min().orElse(0));
        say("acknowledgements, median of %d rounds: %,.0f rows/s through the agent API vs %,.0f rows/s raw COPY (%.0f%%)",
                rounds, percentile(platformRates, 50), percentile(rawRates, 50), 100 * percentile(ratios, 50));
    }

    /** Two agents' gateways posting at once, 10,000 acknowledgements per call; the seconds it took. */
    double ackThroughApi(UUID rollout, List<String> members) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> calls = new ArrayList<>();
        long start = System.nanoTime();
        for (int from = 0; from < members.size(); from += 10_000) {
            int first = from;
            calls.add(pool.submit(() -> {
                if ("csv".equals(env("BENCH_ACKS", "json"))) {
                    StringBuilder csv = new StringBuilder("agentId,rolloutId,version,status,latencyMs,requests,errors\n");
                    for (int i = first; i < Math.min(members.size(), first + 10_000); i++) {
                        csv.append(members.get(i)).append(',').append(rollout).append(",2.4.0,OK,42,120,0\n");
                    }
                    check(http.send(HttpRequest.newBuilder(URI.create(base + "/agent/v1/acks"))
                            .header("Authorization", "Bearer " + gateway()).header("Content-Type", "text/csv")
                            .timeout(Duration.ofMinutes(1)).POST(HttpRequest.BodyPublishers.ofString(csv.toString()))
                            .build(), HttpResponse.BodyHandlers.ofString()));
                    return null;
                }
                StringBuilder body = new StringBuilder("{\"acks\":[");
                for (int i = first; i < Math.min(members.size(), first + 10_000); i++) {
                    body.append(i == first ? "" : ",").append("{\"agentId\":\"").append(members.get(i))
                            .append("\",\"rolloutId\":\"").append(rollout)
                            .append("\",\"version\":\"2.4.0\",\"status\":\"OK\",\"latencyMs\":42,\"requests\":120,\"errors\":0}");
                }
                body.append("]}");
                check(post("/agent/v1/acks", gateway(), body.toString()));
                return null;
            }));
        }
        for (Future<?> call : calls) {
            call.get();
        }
        pool.shutdown();
        return (System.nanoTime() - start) / 1e9;
    }

    /** The agents of batches 1 to {@code count}, computed from the stored plan and the agents' ranks (setup, not measured). */
    List<List<String>> batchMembers(UUID rollout, int count) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            List<BatchPlanner.Stratum> strata = new ArrayList<>();
            try (var rs = s.executeQuery("SELECT cluster_id, tz_offset, size, multiplier, shift FROM cluster_batcher."
                    + "batch_plan_stratum WHERE rollout_id = '" + rollout + "' ORDER BY idx")) {
                while (rs.next()) {
                    strata.add(new BatchPlanner.Stratum(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5)));
                }
            }
            BatchPlanner planner = BatchPlanner.of(strata, 1_000_000, 20_000_000);
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < strata.size(); i++) {
                index.put(strata.get(i).clusterId() + "/" + strata.get(i).tzOffset(), i);
            }
            List<List<String>> members = new ArrayList<>();
            for (int b = 0; b < count; b++) {
                members.add(new ArrayList<>());
            }
            c.setAutoCommit(false);
            s.setFetchSize(100_000);
            try (var rs = s.executeQuery("SELECT agent_id, cluster_id, tz_offset, stratum_rank FROM cluster_batcher.agent")) {
                while (rs.next()) {
                    Integer idx = index.get(rs.getString(2) + "/" + rs.getInt(3));
                    int batch = idx == null ? -1 : planner.batchOf(idx, rs.getLong(4));
                    if (batch >= 0 && batch < count) {
                        members.get(batch).add(rs.getString(1));
                    }
                }
            }
            return members;
        }
    }

    // ---- plumbing ----

    void recreateDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, "")) {
            exec(c, "DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
            exec(c, "CREATE DATABASE " + DB);
        }
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(DB_URL, USER, "");
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static double copyCsv(Connection c, String table, Path file, boolean header) throws Exception {
        long start = System.nanoTime();
        try (Reader in = Files.newBufferedReader(file)) {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN (FORMAT csv"
                    + (header ? ", HEADER true" : "") + ")", in);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    HttpResponse<String> post(String path, String token, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(1)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> check(HttpResponse<String> r) {
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return r;
    }

    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static String toJson(Map<String, Object> map) {
        StringBuilder json = new StringBuilder("{\n");
        map.forEach((k, v) -> json.append("  \"").append(k).append("\": ").append(v instanceof Double d
                ? String.format(Locale.ROOT, "%.4f", d) : v).append(",\n"));
        json.setLength(json.length() - 2);
        return json.append("\n}\n").toString();
    }

    static void say(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
