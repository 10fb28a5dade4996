package dev.rollout.platform.standalone;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts the six services as separate processes on loopback from the build output, wired to each
 * other over HTTP as in production, and stops them. Used by the standalone launcher and by the
 * end-to-end tests.
 */
public final class Platform implements AutoCloseable {

    /** The PostgreSQL the services keep their state in, each in its own schema. */
    public record Postgres(String url, String username, String password) {
    }

    /**
     * What to start; {@code sharing}, where not null, gives the services a class-data archive; {@code agentPort}, where
     * not null, gives cluster-batcher's agent API a port and threads of its own, to which the edge routes
     * {@code /agent/v1} (without one, the agent API is on cluster-batcher's main port).
     */
    public record Options(Path root, Postgres database, Map<PlatformService, Integer> ports, Path logDirectory,
            List<String> jvmOptions, Map<PlatformService, List<String>> extraArguments,
            Map<PlatformService, List<String>> serviceJvmOptions, ClassDataSharing sharing, Integer agentPort) {

        public Options(Path root, Postgres database, Map<PlatformService, Integer> ports, Path logDirectory,
                List<String> jvmOptions, Map<PlatformService, List<String>> extraArguments,
                Map<PlatformService, List<String>> serviceJvmOptions, ClassDataSharing sharing) {
            this(root, database, ports, logDirectory, jvmOptions, extraArguments, serviceJvmOptions, sharing, null);
        }

        /** No class-data archive. */
        public Options(Path root, Postgres database, Map<PlatformService, Integer> ports, Path logDirectory,
                List<String> jvmOptions, Map<PlatformService, List<String>> extraArguments,
                Map<PlatformService, List<String>> serviceJvmOptions) {
            this(root, database, ports, logDirectory, jvmOptions, extraArguments, serviceJvmOptions, null);
        }

        /** The same JVM options for every service. */
        public Options(Path root, Postgres database, Map<PlatformService, Integer> ports, Path logDirectory,
                List<String> jvmOptions, Map<PlatformService, List<String>> extraArguments) {
            this(root, database, ports, logDirectory, jvmOptions, extraArguments, Map.of(), null);
        }

        /** The same, with the agent API on a port of its own. */
        public Options withAgentPort(int port) {
            return new Options(root, database, ports, logDirectory, jvmOptions, extraArguments, serviceJvmOptions,
                    sharing, port);
        }

        /** The platform's JVM options, then the service's own (a later option wins). */
        List<String> jvmOptions(PlatformService service) {
            List<String> all = new ArrayList<>(jvmOptions);
            all.addAll(serviceJvmOptions.getOrDefault(service, List.of()));
            if (sharing != null) {
                all.addAll(sharing.jvmOptions(service));
            }
            return all;
        }

    }

    private final Options options;
    private final Map<PlatformService, Process> processes = new EnumMap<>(PlatformService.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Platform(Options options) {
        this.options = options;
    }

    public static Map<PlatformService, Integer> defaultPorts() {
        Map<PlatformService, Integer> ports = new EnumMap<>(PlatformService.class);
        for (PlatformService service : PlatformService.values()) {
            ports.put(service, service.defaultPort());
        }
        return ports;
    }

    /** Starts every service; returns at once. Call {@link #awaitReady} to wait for them. */
    public static Platform start(Options options) {
        Platform platform = new Platform(options);
        try {
            Files.createDirectories(options.logDirectory());
            for (PlatformService service : PlatformService.values()) {
                platform.startService(service);
            }
            return platform;
        }
        catch (IOException | RuntimeException e) {
            platform.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public String url(PlatformService service) {
        return "http://127.0.0.1:" + options.ports().get(service);
    }

    /** Where agents call: cluster-batcher's agent port, or its main port where the agent API has none of its own. */
    public String agentUrl() {
        return options.agentPort() == null ? url(PlatformService.CLUSTER_BATCHER)
                : "http://127.0.0.1:" + options.agentPort();
    }

    public Path log(PlatformService service) {
        return options.logDirectory().resolve(service.module() + ".log");
    }

    /** Starts (or restarts) one service. */
    public void startService(PlatformService service) throws IOException {
        startService(service, List.of());
    }

    /** Starts (or restarts) one service with more arguments than the platform's (a drill's failpoints, say). */
    public void startService(PlatformService service, List<String> moreArguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options.jvmOptions(service));
        command.add("-cp");
        command.add(classpath(service));
        command.add(service.mainClass());
        command.addAll(arguments(service));
        command.addAll(moreArguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(service).toFile()));
        processes.put(service, builder.start());
    }

    /**
     * A second process of a service on another port, with the same database and arguments: a replica, as
     * Kubernetes would run it (a replica of cluster-batcher serves agents on its main port). The caller stops it.
     */
    public Process startReplica(PlatformService service, int port, List<String> moreArguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options.jvmOptions(service));
        command.add("-cp");
        command.add(classpath(service));
        command.add(service.mainClass());
        for (String argument : arguments(service)) {
            if (!argument.startsWith("--rollout.agent-api.port=")) {
                command.add(argument.startsWith("--server.port=") ? "--server.port=" + port : argument);
            }
        }
        command.addAll(moreArguments);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                options.logDirectory().resolve(service.module() + "-" + port + ".log").toFile())).start();
    }

    private List<String> arguments(PlatformService service) {
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + options.ports().get(service));
        args.add("--server.address=127.0.0.1");
        args.add("--rollout.security.mode=DEV");
        for (PlatformService other : PlatformService.values()) {
            if (other != PlatformService.ROLLOUT_API) {
                args.add("--rollout.services.urls." + other.module() + "=" + url(other));
            }
        }
        if (options.agentPort() != null && service == PlatformService.CLUSTER_BATCHER) {
            args.add("--rollout.agent-api.port=" + options.agentPort());
        }
        if (options.agentPort() != null && service == PlatformService.ROLLOUT_API) {
            args.add("--rollout.edge.routes.agent-api=" + agentUrl());
        }
        if (service.schema() != null) {
            args.add("--spring.datasource.url=" + options.database().url());
            args.add("--spring.datasource.username=" + options.database().username());
            args.add("--spring.datasource.password=" + options.database().password());
        }
        args.addAll(options.extraArguments().getOrDefault(service, List.of()));
        return args;
    }

    private String classpath(PlatformService service) throws IOException {
        if (options.sharing() != null) {
            return options.sharing().classpath(service, classes(options.root(), service));
        }
        return classpath(options.root(), service);
    }

    /** A service's class path from the build output under {@code root}: its classes, then its jars. */
    public static String classpath(Path root, PlatformService service) throws IOException {
        Path classes = classes(root, service);
        return classes + File.pathSeparator + String.join(File.pathSeparator, dependencies(root, service));
    }

    private static Path classes(Path root, PlatformService service) throws IOException {
        Path classes = root.resolve(service.module()).resolve("target/classes");
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException(service.module() + " is not built (no " + classes
                    + "): run ./mvnw -DskipTests package first");
        }
        return classes;
    }

    /** The jars a service runs with, as its build listed them ({@code target/classpath.txt}). */
    static List<String> dependencies(Path root, PlatformService service) throws IOException {
        Path list = root.resolve(service.module()).resolve("target/classpath.txt");
        if (!Files.isRegularFile(list)) {
            throw new IllegalStateException(service.module() + " is not built (no " + list
                    + "): run ./mvnw -DskipTests package first");
        }
        return List.of(Files.readString(list).strip().split(File.pathSeparator));
    }

    /**
     * Waits until every service reports ready ({@code /actuator/health/readiness}), reporting each one
     * as it comes up. Fails with the tail of its log when a service exits or the time runs out.
     */
    public void awaitReady(Duration timeout, Consumer<String> progress) {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        List<PlatformService> waiting = new ArrayList<>(List.of(PlatformService.values()));
        while (!waiting.isEmpty()) {
            for (PlatformService service : List.copyOf(waiting)) {
                Process process = processes.get(service);
                if (!process.isAlive()) {
                    throw new IllegalStateException(service.module() + " exited with code " + process.exitValue()
                            + "; the end of " + log(service) + ":\n" + tail(service, 40));
                }
                if (ready(service)) {
                    waiting.remove(service);
                    progress.accept(String.format("%-16s ready at %s (%.1f s)", service.module(), url(service),
                            Duration.between(start, Instant.now()).toMillis() / 1000.0));
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Not ready after " + timeout.toSeconds() + " s: " + waiting
                        + (waiting.isEmpty() ? "" : "; the end of " + log(waiting.get(0)) + ":\n" + tail(waiting.get(0), 40)));
            }
            sleep(250);
        }
    }

    public boolean ready(PlatformService service) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url(service)
                    + "/actuator/health/readiness")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        }
        catch (IOException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Process process(PlatformService service) {
        return processes.get(service);
    }

    /** Stops one service: politely, then by force after 15 seconds. */
    public void stopService(PlatformService service) {
        Process process = processes.get(service);
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    public String tail(PlatformService service, int lines) {
        try {
            List<String> all = Files.readAllLines(log(service));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
        catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        List<PlatformService> reverse = new ArrayList<>(List.of(PlatformService.values()));
        Collections.reverse(reverse);
        reverse.forEach(s -> {
            Process p = processes.get(s);
            if (p != null && p.isAlive()) {
                p.destroy();
            }
        });
        reverse.forEach(this::stopService);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
