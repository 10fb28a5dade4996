package dev.rollout.api.standalone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code ./platform}: the whole platform on loopback with one command. By default each service keeps
 * its state in an embedded H2 database under {@code data/} (no Docker, no installed database); with
 * {@code ROLLOUT_DB_URL} set, all six use that PostgreSQL, each in its own schema. Ctrl-C stops them all.
 */
public final class StandaloneLauncher {

    private StandaloneLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("rollout.root", ".")).toAbsolutePath().normalize();
        Path data = Path.of(env("ROLLOUT_DATA_DIR", root.resolve("data").toString())).toAbsolutePath();
        Files.createDirectories(data);
        String dbUrl = env("ROLLOUT_DB_URL", "");
        Platform.Database database = dbUrl.isBlank() ? new Platform.Embedded(data.resolve("db"))
                : new Platform.Postgres(dbUrl, env("ROLLOUT_DB_USER", "rollout"), env("ROLLOUT_DB_PASSWORD", ""));
        List<String> jvm = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xms64m",
                env("ROLLOUT_SERVICE_HEAP", "-Xmx512m"), "-Dfile.encoding=UTF-8");

        System.out.println("Starting the rollout platform (6 services) on 127.0.0.1; database: "
                + (dbUrl.isBlank() ? "embedded H2 under " + data.resolve("db") : dbUrl) + "; logs in " + data.resolve("logs"));
        Platform platform = Platform.start(new Platform.Options(root, database, Platform.defaultPorts(),
                data.resolve("logs"), jvm, Map.of()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping the rollout platform...");
            platform.close();
            System.out.println("Stopped.");
        }));
        long started = System.nanoTime();
        try {
            platform.awaitReady(Duration.ofSeconds(Long.parseLong(env("ROLLOUT_START_TIMEOUT_SECONDS", "240"))),
                    line -> System.out.println("  " + line));
        }
        catch (IllegalStateException e) {
            System.err.println("The platform did not start: " + e.getMessage());
            System.exit(1);
        }
        String edge = platform.url(PlatformService.ROLLOUT_API);
        System.out.printf("""

                The rollout platform is up (%.0f s).

                  Swagger UI (all six APIs):  %s/swagger-ui.html
                  API edge:                   %s/api
                  Agent API:                  %s/agent/v1   (also direct: %s/agent/v1)

                Development tokens (Authorization: Bearer <token>):
                  dev-release-manager   RELEASE_MANAGER      dev-viewer   VIEWER
                  dev-ci                CI_PIPELINE          dev-agent    AGENT
                  dev-on-call           ON_CALL              dev-pilot-<pilotId>   PILOT, as that pilot

                Try:
                  curl -s -H 'Authorization: Bearer dev-release-manager' %s/api/rollouts

                Ctrl-C stops everything.
                """, (System.nanoTime() - started) / 1e9, edge, edge, edge,
                platform.url(PlatformService.CLUSTER_BATCHER), edge);
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

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
