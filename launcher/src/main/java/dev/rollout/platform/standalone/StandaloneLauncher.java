package dev.rollout.platform.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.rollout.platform.demo.Demo;
import dev.rollout.platform.demo.Fault;
import dev.rollout.starter.time.ClockPace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./platform}: the whole platform on loopback with one command. By default the services keep their state in
 * an embedded PostgreSQL under {@code data/postgres} (started here from Maven artifacts: no Docker, no installed
 * database); with {@code ROLLOUT_DB_URL} set, in that PostgreSQL instead. Each service has its own schema. Ctrl-C
 * stops them all, then the embedded database.
 */
public final class StandaloneLauncher {

    private StandaloneLauncher() {
    }

    public static void main(String[] args) throws Exception {
        // the launcher's own libraries (the embedded database's) say only what goes wrong
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Path root = Path.of(System.getProperty("rollout.root", ".")).toAbsolutePath().normalize();
        Path data = Path.of(env("ROLLOUT_DATA_DIR", root.resolve("data").toString())).toAbsolutePath();
        Files.createDirectories(data);
        String dbUrl = env("ROLLOUT_DB_URL", "");
        boolean embedded = dbUrl.isBlank();
        List<String> arguments = List.of(args);
        boolean demo = arguments.contains("--demo");
        int agents = Integer.parseInt(option(arguments, "--agents", embedded ? "1000000" : "20000000"));
        Demo.Options demoOptions;
        try {
            demoOptions = new Demo.Options(agents,
                    Long.parseLong(option(arguments, "--batch-size", "0").replace("_", "")),
                    Integer.parseInt(option(arguments, "--clusters", "10")),
                    Integer.parseInt(option(arguments, "--fault-batch", "3")),
                    Fault.of(option(arguments, "--fault", "error-spike")), 0.999, 0.0002,
                    Integer.parseInt(option(arguments, "--metrics-port", "0")), root);
        }
        catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Map<PlatformService, List<String>> extra = new EnumMap<>(PlatformService.class);
        List<String> missing = demo ? Demo.missingEvidence(demoOptions) : List.of();
        if (!missing.isEmpty()) {
            System.err.println(String.join("\n  ", missing));
            System.exit(2);
            return;
        }
        // the demo's clock: every service follows the pace in this file, which the demo sets as it measures this machine
        ClockPace pace = demo ? new ClockPace(data.resolve("clock-pace")) : null;
        if (demo) {
            pace.start(Instant.now(), demoOptions.speed());
            for (PlatformService service : PlatformService.values()) {
                List<String> serviceArgs = new ArrayList<>(List.of("--rollout.time.pace-file=" + pace.file()));
                if (service == PlatformService.PHASE_ENGINE) {
                    serviceArgs.addAll(List.of("--rollout.reconcile.interval=PT0.5S", "--rollout.reconcile.lease-ttl=PT3S",
                            "--rollout.reconcile.evaluation-interval=PT6H"));
                }
                extra.put(service, serviceArgs);
            }
            if (embedded && !arguments.contains("--agents")) {
                System.out.printf("The demo runs on the embedded PostgreSQL with %,d agents (choose with --agents; for "
                        + "20,000,000, a PostgreSQL sized for them through ROLLOUT_DB_URL: docs/operations.md).%n", agents);
            }
        }
        List<String> jvm = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xss512k", "-Xms64m",
                env("ROLLOUT_SERVICE_HEAP", "-Xmx512m"), "-Dfile.encoding=UTF-8"));
        // more options for every service's JVM, last so that they win (for instance -XX:TieredStopAtLevel=1)
        jvm.addAll(List.of(env("ROLLOUT_SERVICE_JVM_OPTIONS", "").split("\\s+")).stream().filter(o -> !o.isBlank()).toList());

        long started = System.nanoTime();
        EmbeddedDatabase embeddedDatabase = null;
        Platform.Postgres database;
        if (embedded) {
            Path directory = data.resolve("postgres");
            try {
                embeddedDatabase = EmbeddedDatabase.start(directory, data.resolve("logs").resolve("postgres.log"), Map.of());
            }
            catch (IOException | RuntimeException e) {
                System.err.println("The embedded PostgreSQL did not start on " + directory + ": " + e.getMessage()
                        + "\nSet ROLLOUT_DB_URL to use another PostgreSQL.");
                System.exit(1);
                return;
            }
            database = embeddedDatabase.coordinates();
            System.out.printf("Embedded PostgreSQL 15 on 127.0.0.1:%d, data in %s (%.1f s)%n", embeddedDatabase.port(),
                    directory, (System.nanoTime() - started) / 1e9);
        }
        else {
            database = new Platform.Postgres(dbUrl, env("ROLLOUT_DB_USER", "rollout"), env("ROLLOUT_DB_PASSWORD", ""));
        }
        System.out.println("Starting the rollout platform (6 services) on 127.0.0.1; database: " + database.url()
                + "; logs in " + data.resolve("logs"));
        Map<PlatformService, List<String>> serviceJvm = serviceJvmOptions();
        ClassDataSharing sharing = "off".equals(env("ROLLOUT_CDS", "on")) ? null : classDataSharing(root, data);
        // the database stops after the services, also when they fail to start
        AtomicReference<Platform> running = new AtomicReference<>();
        EmbeddedDatabase toStop = embeddedDatabase;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping the rollout platform...");
            if (running.get() != null) {
                running.get().close();
            }
            if (toStop != null) {
                try {
                    toStop.close();
                }
                catch (IOException e) {
                    System.err.println("The embedded PostgreSQL did not stop cleanly: " + e.getMessage());
                }
            }
            System.out.println("Stopped.");
        }));
        // agents call cluster-batcher on a port (and threads) of their own, as in compose and Kubernetes; "off" serves
        // them on its main port
        Platform.Options options = new Platform.Options(root, database, Platform.defaultPorts(), data.resolve("logs"),
                jvm, extra, serviceJvm, sharing);
        String agentPort = env("CLUSTER_BATCHER_AGENT_PORT", "8093");
        Platform platform = Platform.start("off".equals(agentPort) ? options
                : options.withAgentPort(Integer.parseInt(agentPort)));
        running.set(platform);
        try {
            platform.awaitReady(Duration.ofSeconds(Long.parseLong(env("ROLLOUT_START_TIMEOUT_SECONDS", "240"))),
                    line -> System.out.println("  " + line));
        }
        catch (IllegalStateException e) {
            System.err.println("The platform did not start: " + e.getMessage());
            System.exit(1);
        }
        if (sharing != null && !sharing.ready()) {
            Process writing = sharing.writeInBackground(line -> System.out.println("\n" + line));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> ClassDataSharing.stop(writing)));
        }
        String edge = platform.url(PlatformService.ROLLOUT_API);
        System.out.printf("""

                The rollout platform is up (%.0f s).

                  Console:                    %s/console   (sign in with a token below)
                  Swagger UI (all six APIs):  %s/swagger-ui.html
                  API edge:                   %s/api
                  Agent API:                  %s/agent/v1   (also direct: %s/agent/v1)

                Development tokens (Authorization: Bearer <token>):
                  dev-release-manager      RELEASE_MANAGER        dev-viewer    VIEWER
                  dev-ci                   CI_PIPELINE            dev-on-call   ON_CALL
                  dev-service              SERVICE (between the services)
                  dev-metrics              METRICS (/actuator/prometheus only)
                  dev-pilot-<pilotId>      PILOT, as that pilot
                  dev-agent-<agentId>      AGENT, for that agent only
                  dev-gateway-<clusterId>  AGENT_GATEWAY, for the agents of that cluster
                On 127.0.0.1 only: these tokens are public (docs/security.md).

                Try:
                  curl -s -H 'Authorization: Bearer dev-release-manager' %s/api/rollouts

                Ctrl-C stops everything.
                """, (System.nanoTime() - started) / 1e9, edge, edge, edge, edge,
                platform.agentUrl(), edge);
        if (demo) {
            try {
                new Demo(edge, platform.agentUrl(), demoOptions, pace).run();
            }
            catch (RuntimeException e) {
                System.err.println("The demo stopped: " + e.getMessage());
                if (arguments.contains("--exit")) {
                    System.exit(1);
                }
            }
            if (arguments.contains("--exit")) {
                System.exit(0);
            }
            System.out.println("\nThe platform stays up to look around (Swagger UI above); Ctrl-C stops it.");
        }
        while (true) {
            for (PlatformService service : PlatformService.values()) {
                Process process = platform.process(service);
                if (!process.isAlive()) {
                    System.err.println(service.module() + " stopped (exit " + process.exitValue() + "); the end of its log:\n"
                            + platform.tail(service, 30));
                    System.exit(1);
                }
            }
            Thread.sleep(1000);
        }
    }

    /**
     * Per service, how it compiles. Six JVMs compiling their start-up code with C2 on two cores took twice as long to
     * start as with C1 alone (docs/benchmarks.md). The agent plane (the edge and cluster-batcher) keeps tiered
     * compilation up to C2, as in production: its throughput is what the fleet needs. The four control-plane services
     * stop at C1, which serves their few requests a second well within the API's KPI, unless
     * {@code ROLLOUT_CONTROL_PLANE_JIT=full}. The fleet-scale service gets a larger heap (a batch's listing, a large
     * import's chunks; {@code ROLLOUT_BATCHER_HEAP}) and a young generation of its own size
     * ({@code ROLLOUT_BATCHER_YOUNG}). Grown from 64 MB as the serial collector grows it, its heap stayed under 260 MB
     * through a 20,000,000-agent demo, and its young generation of a few tens of MB was collected eight times a second
     * while batches were listed and acknowledged: 1,159 young and 73 full collections, 25 s of the service's processor
     * time on two cores, against 274 and 3, 4.8 s, with 256 MB (docs/benchmarks.md). The agent plane compiles with
     * C2 only what runs for every agent ({@link #HOT_ONLY_C2}), unless {@code ROLLOUT_AGENT_PLANE_JIT=default}.
     * {@code ROLLOUT_AGENT_THREADS}
     * sets the agent port's threads (by default two per core) and {@code ROLLOUT_AGENT_IN_FLIGHT} how many agent calls
     * it serves at once (by default its database pool's size; docs/agents.md).
     */
    /**
     * The agent plane's thresholds for C2, ten times the JVM's: a method is compiled by C2 once it has run 50,000 times
     * (or looped 400,000 times) rather than 5,000 (40,000). The code that runs for every agent (a listed row, an
     * acknowledgement line, a seat) crosses them within the first calls of a batch; the request handling around it,
     * run a few thousand times in a whole rollout, stays compiled by C1. In a 20,000,000-agent demo on the emulation of
     * the slower machine, the edge and cluster-batcher compiled start-up and request code with C2 while the batches
     * ran: their compiler threads used a quarter of cluster-batcher's processor time in the batches (a JFR on two
     * cores); with these thresholds the 20 batches took 147-155 s against 159-185 s (docs/benchmarks.md).
     */
    static final List<String> HOT_ONLY_C2 = List.of("-XX:Tier4InvocationThreshold=50000",
            "-XX:Tier4MinInvocationThreshold=6000", "-XX:Tier4CompileThreshold=150000", "-XX:Tier4BackEdgeThreshold=400000");

    private static Map<PlatformService, List<String>> serviceJvmOptions() {
        Map<PlatformService, List<String>> options = new EnumMap<>(PlatformService.class);
        List<String> batcher = new ArrayList<>(List.of(env("ROLLOUT_BATCHER_HEAP", "-Xmx1536m")));
        // the young generation's size, and a first heap that holds it (a later -Xms wins over the platform's 64 MB)
        batcher.addAll(List.of(env("ROLLOUT_BATCHER_YOUNG", "-Xms384m -Xmn256m").trim().split("\\s+")));
        batcher.addAll(List.of("-Drollout.agent-api.rate-limit.in-flight=" + env("ROLLOUT_AGENT_IN_FLIGHT", "0"),
                "-Drollout.agent-api.threads=" + env("ROLLOUT_AGENT_THREADS", "0")));
        if (!"default".equals(env("ROLLOUT_AGENT_PLANE_JIT", "hot-only"))) {
            batcher.addAll(HOT_ONLY_C2);
            options.put(PlatformService.ROLLOUT_API, HOT_ONLY_C2);
        }
        options.put(PlatformService.CLUSTER_BATCHER, batcher);
        if (!"full".equals(env("ROLLOUT_CONTROL_PLANE_JIT", "c1"))) {
            for (PlatformService service : List.of(PlatformService.PHASE_ENGINE, PlatformService.PILOT_SERVICE,
                    PlatformService.METRICS_GATE, PlatformService.ROLLBACK_SERVICE)) {
                options.put(service, List.of("-XX:TieredStopAtLevel=1"));
            }
        }
        return options;
    }

    /** The services' class-data archive under {@code data/cds}, or none when it cannot be set up here. */
    private static ClassDataSharing classDataSharing(Path root, Path data) throws IOException {
        Map<PlatformService, List<String>> dependencies = new EnumMap<>(PlatformService.class);
        for (PlatformService service : PlatformService.values()) {
            dependencies.put(service, Platform.dependencies(root, service));
        }
        Path directory = data.resolve("cds");
        Files.createDirectories(directory);
        ClassDataSharing sharing = new ClassDataSharing(directory, dependencies);
        System.out.println(sharing.ready() ? "Class-data archive: " + sharing.archive()
                : "No class-data archive for this build yet: the services record the classes they load, and one is "
                        + "written in the background once they are up (used from the next start)");
        return sharing;
    }

    private static String option(List<String> arguments, String name, String fallback) {
        int at = arguments.indexOf(name);
        return at >= 0 && at + 1 < arguments.size() ? arguments.get(at + 1) : fallback;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
