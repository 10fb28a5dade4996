package dev.rollout.platform.deploy;

import static dev.rollout.platform.deploy.DeploymentTest.at;
import static dev.rollout.platform.deploy.DeploymentTest.kind;
import static dev.rollout.platform.deploy.DeploymentTest.list;
import static dev.rollout.platform.deploy.DeploymentTest.map;
import static dev.rollout.platform.deploy.DeploymentTest.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.rollout.platform.standalone.Platform;
import dev.rollout.platform.standalone.PlatformService;
import dev.rollout.starter.test.Http;
import dev.rollout.starter.test.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The six services start from exactly what a rendered overlay gives their pods: the Deployment's environment
 * (values and Secret references), its Secret volumes as files where they are mounted, its ConfigMap read through
 * the Kubernetes API by spring-cloud-kubernetes, and the container port its probes ask. Only the database and the
 * Kubernetes API are test doubles: a fresh database of the test PostgreSQL, and {@link FakeKubernetesApi} serving
 * the overlay's own ConfigMaps and Secrets (production's Secrets, which the overlay leaves to the secret manager,
 * with the keys docs/security.md names). Each service must report ready on its readiness probe, as the kubelet
 * would ask it; then compose's healthcheck commands run, as Docker runs them, against the same six services.
 */
class KubernetesStartTest {

    static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path pods;

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyServiceStartsFromItsOverlayAndReportsReady(String overlay) throws Exception {
        List<Map<String, Object>> docs = DeploymentTest.render(overlay);
        String namespace = (String) at(kind(docs, "Deployment").get(0), "metadata.namespace");
        for (int port : List.of(8080, 8081, 8082, 8083, 8084, 8085, 8093)) {
            Assumptions.assumeTrue(free(port), "port " + port + " is taken on this machine: the pods' ports cannot be "
                    + "given to the services here");
        }
        String database = "rollout_k8s_" + overlay + "_" + UUID.randomUUID().toString().substring(0, 8);
        TestDatabase.Coordinates server = TestDatabase.get();
        execute(server, "CREATE DATABASE " + database);
        List<Map<String, Object>> objects = new ArrayList<>(docs);
        objects.removeIf(o -> "Secret".equals(o.get("kind")) && name(o).equals("rollout-database"));
        objects.add(secret(namespace, "rollout-database", Map.of("url", withDatabase(server.url(), database),
                "username", server.username(), "password", server.password())));
        if (overlay.equals("prod")) {
            // what docs/security.md asks the operator to create from the secret manager
            objects.add(secret(namespace, "rollout-security",
                    Map.of("rollout.security.service-token", UUID.randomUUID().toString())));
        }
        List<Pod> started = new ArrayList<>();
        try {
            for (Map<String, Object> deployment : kind(docs, "Deployment")) {
                String account = (String) at(deployment, "spec.template.spec.serviceAccountName");
                FakeKubernetesApi api = new FakeKubernetesApi(namespace, objects, access -> allows(docs, account, access));
                started.add(Pod.start(deployment, objects, api, pods.resolve(overlay)));
            }
            awaitReady(started);
            for (Pod pod : started) {
                assertThat(pod.api().requests()).as(pod.name() + " read its ConfigMap through the Kubernetes API")
                        .anyMatch(r -> r.startsWith("GET /api/v1/namespaces/" + namespace + "/configmaps"));
                assertThat(pod.api().forbidden()).as(pod.name() + " asked the API only what its Role allows")
                        .isEmpty();
            }
            Http clusterBatcher = Http.localhost(8083);
            Http agentPort = Http.localhost(8093);
            assertThat(agentPort.get("/actuator/health/readiness", null).status())
                    .as("the agent port of cluster-batcher's ConfigMap is its own: nothing but /agent/v1 there")
                    .isEqualTo(404);
            assertThat(clusterBatcher.get("/agent/v1/agents/a-1/desired-state", null).status())
                    .as("the agent API is not on the main port").isEqualTo(404);
            Http phaseEngine = Http.localhost(8081);
            if (overlay.equals("dev")) {
                assertThat(phaseEngine.get("/api/rollouts", "dev-viewer").status())
                        .as("the dev overlay's application-dev.yaml: development tokens").isEqualTo(200);
                composeHealthchecksPass(true);
            }
            else {
                assertThat(phaseEngine.get("/api/rollouts", "dev-viewer").status())
                        .as("production takes only the identity provider's tokens").isEqualTo(401);
            }
        }
        finally {
            started.forEach(Pod::stop);
            started.forEach(p -> p.api().close());
            execute(server, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
            execute(server, "DROP DATABASE IF EXISTS " + database);
        }
        if (overlay.equals("dev")) {
            composeHealthchecksPass(false);
        }
    }

    /** compose's six service healthchecks, each run as Docker runs it: CMD as a command, CMD-SHELL by /bin/sh. */
    static void composeHealthchecksPass(boolean expected) throws Exception {
        Map<String, Object> compose = map(DeploymentTest.yaml()
                .load(Files.readString(DeploymentTest.ROOT.resolve("docker-compose.yml"))));
        for (String service : DeploymentTest.SERVICES) {
            List<Object> test = list(at(map(map(compose.get("services")).get(service)), "healthcheck.test"));
            List<String> command = new ArrayList<>();
            switch (String.valueOf(test.get(0))) {
                case "CMD" -> test.subList(1, test.size()).forEach(a -> command.add(String.valueOf(a)));
                case "CMD-SHELL" -> command.addAll(List.of("/bin/sh", "-c", String.valueOf(test.get(1))));
                default -> throw new AssertionError(service + ": a healthcheck test is CMD or CMD-SHELL: " + test);
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(service + " healthcheck ends").isTrue();
            if (expected) {
                assertThat(process.exitValue()).as(service + "'s healthcheck " + command + " against the running "
                        + "service:\n" + out).isZero();
            }
            else {
                assertThat(process.exitValue()).as(service + "'s healthcheck with nothing running").isNotZero();
            }
        }
    }

    static void awaitReady(List<Pod> pods) throws InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        List<Pod> waiting = new ArrayList<>(pods);
        while (!waiting.isEmpty()) {
            for (Pod pod : List.copyOf(waiting)) {
                assertThat(pod.process().isAlive()).as(pod.name() + " exited; the end of its log:\n" + pod.tail())
                        .isTrue();
                if (pod.ready()) {
                    waiting.remove(pod);
                }
            }
            assertThat(Instant.now()).as("not ready after " + START_TIMEOUT + ": " + waiting.stream().map(Pod::name)
                    .toList() + (waiting.isEmpty() ? "" : "; the end of a log:\n" + waiting.get(0).tail()))
                    .isBefore(deadline);
            Thread.sleep(500);
        }
    }

    /** Whether a Role bound to the account allows the access, as Kubernetes' RBAC decides it. */
    static boolean allows(List<Map<String, Object>> docs, String account, FakeKubernetesApi.Access access) {
        for (Map<String, Object> binding : kind(docs, "RoleBinding")) {
            boolean bound = list(binding.get("subjects")).stream().map(DeploymentTest::map)
                    .anyMatch(s -> "ServiceAccount".equals(s.get("kind")) && account.equals(s.get("name")));
            if (!bound) {
                continue;
            }
            String role = (String) at(binding, "roleRef.name");
            for (Map<String, Object> r : kind(docs, "Role")) {
                if (!role.equals(DeploymentTest.name(r))) {
                    continue;
                }
                for (Object rule : list(r.get("rules"))) {
                    Map<String, Object> allowed = map(rule);
                    if (list(allowed.get("apiGroups")).contains(access.group())
                            && list(allowed.get("resources")).contains(access.resource())
                            && list(allowed.get("verbs")).contains(access.verb())
                            && (allowed.get("resourceNames") == null
                                    || list(allowed.get("resourceNames")).contains(access.name()))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static Map<String, Object> secret(String namespace, String name, Map<String, String> entries) {
        Map<String, Object> data = new LinkedHashMap<>();
        entries.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return Map.of("apiVersion", "v1", "kind", "Secret", "type", "Opaque",
                "metadata", Map.of("name", name, "namespace", namespace), "data", data);
    }

    static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + (query < 0 ? "" : url.substring(query));
    }

    static void execute(TestDatabase.Coordinates server, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.url(), server.username(), server.password());
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        }
        catch (IOException taken) {
            return false;
        }
    }

    /** One Deployment's container as a local process with the environment and files its pod would have. */
    record Pod(String name, Process process, Path log, Http probe, String readinessPath, FakeKubernetesApi api) {

        static Pod start(Map<String, Object> deployment, List<Map<String, Object>> objects, FakeKubernetesApi api,
                Path root) throws IOException {
            String name = DeploymentTest.name(deployment);
            String namespace = (String) at(deployment, "metadata.namespace");
            Map<String, Object> spec = map(at(deployment, "spec.template.spec"));
            Map<String, Object> container = map(list(spec.get("containers")).get(0));
            Path pod = Files.createDirectories(root.resolve(name));
            Map<String, String> mounts = new LinkedHashMap<>();
            for (Object m : list(container.get("volumeMounts"))) {
                Map<String, Object> mount = map(m);
                Map<String, Object> volume = list(spec.get("volumes")).stream().map(DeploymentTest::map)
                        .filter(v -> v.get("name").equals(mount.get("name"))).findFirst().orElseThrow();
                Path directory = Files.createDirectories(pod.resolve(String.valueOf(mount.get("name"))));
                if (volume.containsKey("secret")) {
                    secretData(objects, (String) at(volume, "secret.secretName")).forEach((key, value) -> {
                        try {
                            Files.writeString(directory.resolve(key), value);
                        }
                        catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
                mounts.put((String) mount.get("mountPath"), directory.toString());
            }
            Map<String, String> env = new LinkedHashMap<>();
            // what the kubelet gives every pod: the API's address, the pod's name
            env.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
            env.put("KUBERNETES_SERVICE_PORT", String.valueOf(api.port()));
            env.put("HOSTNAME", name + "-0");
            // the service account's mount stands in for these: the API over plain HTTP, the pod's namespace
            env.put("KUBERNETES_MASTER", api.url());
            env.put("KUBERNETES_NAMESPACE", namespace);
            env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
            for (Object e : list(container.get("env"))) {
                Map<String, Object> variable = map(e);
                String value;
                if (variable.containsKey("value")) {
                    value = String.valueOf(variable.get("value"));
                }
                else {
                    Map<String, Object> ref = map(at(variable, "valueFrom.secretKeyRef"));
                    value = secretData(objects, (String) ref.get("name")).get((String) ref.get("key"));
                    assertThat(value).as(name + ": " + variable.get("name") + " from " + ref).isNotNull();
                }
                for (Map.Entry<String, String> mount : mounts.entrySet()) {
                    value = value.replace(mount.getKey(), mount.getValue());
                }
                env.put((String) variable.get("name"), value);
            }
            PlatformService service = PlatformService.valueOf(name.toUpperCase().replace('-', '_'));
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                    Platform.classpath(DeploymentTest.ROOT, service), service.mainClass()));
            command.addAll(list(container.get("args")).stream().map(String::valueOf).toList());
            Path log = pod.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).directory(pod.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("ROLLOUT_") || k.startsWith("SPRING_")
                    || k.startsWith("KUBERNETES_"));
            builder.environment().putAll(env);
            Object port = at(container, "readinessProbe.httpGet.port");
            int containerPort = list(container.get("ports")).stream().map(DeploymentTest::map)
                    .filter(p -> p.get("name").equals(port) || p.get("containerPort").equals(port))
                    .map(p -> (Integer) p.get("containerPort")).findFirst().orElseThrow();
            return new Pod(name, builder.start(), log, Http.localhost(containerPort),
                    (String) at(container, "readinessProbe.httpGet.path"), api);
        }

        static Map<String, String> secretData(List<Map<String, Object>> objects, String name) {
            Map<String, Object> secret = objects.stream().filter(o -> "Secret".equals(o.get("kind")))
                    .filter(o -> name.equals(DeploymentTest.name(o))).findFirst()
                    .orElseThrow(() -> new AssertionError("no Secret " + name));
            Map<String, String> data = new LinkedHashMap<>();
            Object encoded = secret.get("data");
            if (encoded != null) {
                map(encoded).forEach((k, v) -> data.put(k,
                        new String(Base64.getDecoder().decode(String.valueOf(v)), StandardCharsets.UTF_8)));
            }
            return data;
        }

        boolean ready() {
            try {
                return probe.get(readinessPath, null).status() == 200;
            }
            catch (RuntimeException notYet) {
                return false;
            }
        }

        String tail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
            }
            catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
