package dev.rollout.platform.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.json.JsonMapper;

/**
 * The deployment files obey their rules without a cluster: each kustomize overlay rendered by
 * {@code kubectl kustomize} (where kubectl is installed), the compose file, the Prometheus configuration and
 * the Grafana dashboard.
 */
class DeploymentTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Set<String> SERVICES = Set.of("rollout-api", "phase-engine", "pilot-service", "cluster-batcher",
            "metrics-gate", "rollback-service");
    static final Set<String> ENTRY_POINTS = Set.of("rollout-api", "cluster-batcher");

    static List<Map<String, Object>> render(String overlay) throws Exception {
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", ROOT.resolve("deploy/k8s/overlays/" + overlay).toString())
                    .redirectErrorStream(true).start();
        }
        catch (IOException notInstalled) {
            Assumptions.abort("kubectl is not installed: the overlays are not rendered here");
            return List.of();
        }
        String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kubectl.exitValue()).as(out).isZero();
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(out)) {
            if (doc != null) {
                docs.add(map(doc));
            }
        }
        return docs;
    }

    static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    static Object at(Map<String, Object> doc, String path) {
        Object current = doc;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    static List<Map<String, Object>> kind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    static String name(Map<String, Object> doc) {
        return (String) at(doc, "metadata.name");
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyServiceIsADeploymentWithProbesResourcesANonRootReadOnlyContainerAndAPinnedImage(String overlay) throws Exception {
        List<Map<String, Object>> docs = render(overlay);
        for (String kind : List.of("Deployment", "Service", "PodDisruptionBudget", "ConfigMap")) {
            assertThat(kind(docs, kind).stream().map(DeploymentTest::name).collect(Collectors.toSet())).as(kind)
                    .containsAll(SERVICES);
        }
        for (Map<String, Object> deployment : kind(docs, "Deployment")) {
            String name = name(deployment);
            assertThat(at(deployment, "spec.template.spec.securityContext.runAsNonRoot")).as(name).isEqualTo(true);
            assertThat(at(deployment, "spec.template.spec.serviceAccountName")).as(name + " has its own account")
                    .isEqualTo(name);
            for (Object c : list(at(deployment, "spec.template.spec.containers"))) {
                Map<String, Object> container = map(c);
                String image = (String) container.get("image");
                assertThat(image).as(name + " image").matches(".+:[^:]+").doesNotEndWith(":latest");
                assertThat(at(container, "livenessProbe.httpGet.path")).as(name).isEqualTo("/actuator/health/liveness");
                assertThat(at(container, "readinessProbe.httpGet.path")).as(name).isEqualTo("/actuator/health/readiness");
                assertThat(list(container.get("env"))).as(name + " logs JSON lines")
                        .contains(Map.of("name", "LOGGING_STRUCTURED_FORMAT_CONSOLE", "value", "ecs"));
                assertThat(at(container, "resources.requests.cpu")).as(name).isNotNull();
                assertThat(at(container, "resources.requests.memory")).as(name).isNotNull();
                assertThat(at(container, "resources.limits.memory")).as(name).isNotNull();
                assertThat(at(container, "securityContext.readOnlyRootFilesystem")).as(name).isEqualTo(true);
                assertThat(at(container, "securityContext.allowPrivilegeEscalation")).as(name).isEqualTo(false);
                assertThat(list(container.get("env")).stream().filter(e -> "SPRING_CONFIG_IMPORT".equals(map(e).get("name")))
                        .map(e -> map(e).get("value")))
                        .as(name + " reads its ConfigMap through spring-cloud-kubernetes and its Secret as mounted files")
                        .containsExactly("kubernetes:,optional:configtree:/etc/rollout/secrets/");
            }
            if (overlay.equals("prod")) {
                assertThat((Integer) at(deployment, "spec.replicas")).as(name + " replicas").isGreaterThanOrEqualTo(2);
            }
        }
        assertThat(kind(docs, "HorizontalPodAutoscaler").stream().map(h -> at(h, "spec.scaleTargetRef.name")))
                .containsExactlyInAnyOrder("cluster-batcher", "rollout-api");
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void onlyTheEdgeAndTheAgentApiAreReachableFromOutside(String overlay) throws Exception {
        List<Map<String, Object>> docs = render(overlay);
        List<Map<String, Object>> ingresses = kind(docs, "Ingress");
        assertThat(ingresses).hasSize(1);
        List<String> backends = new ArrayList<>();
        for (Object rule : list(at(ingresses.get(0), "spec.rules"))) {
            for (Object p : list(at(map(rule), "http.paths"))) {
                String service = (String) at(map(p), "backend.service.name");
                backends.add(service);
                if (service.equals("cluster-batcher")) {
                    assertThat(map(p).get("path")).as("only the agent API of cluster-batcher").isEqualTo("/agent/v1");
                }
            }
        }
        assertThat(backends).containsExactlyInAnyOrderElementsOf(ENTRY_POINTS);
        assertThat(kind(docs, "Service")).allSatisfy(s -> assertThat(at(s, "spec.type")).as(name(s)).isNull());

        List<Map<String, Object>> policies = kind(docs, "NetworkPolicy");
        assertThat(policies).anySatisfy(p -> {
            assertThat(at(p, "spec.podSelector")).isEqualTo(Map.of());
            assertThat(at(p, "spec.ingress")).isNull();
        });
        for (Map<String, Object> policy : policies) {
            for (Object rule : list(at(policy, "spec.ingress"))) {
                for (Object from : list(map(rule).get("from"))) {
                    Object namespace = at(map(from), "namespaceSelector.matchLabels");
                    if (namespace != null && !Map.of("kubernetes.io/metadata.name", "monitoring").equals(namespace)) {
                        String selected = String.valueOf(at(policy, "spec.podSelector"));
                        assertThat(ENTRY_POINTS).as("a policy open to another namespace selects an entry point: "
                                + selected).anyMatch(selected::contains);
                        assertThat(SERVICES.stream().filter(s -> !ENTRY_POINTS.contains(s)).filter(selected::contains))
                                .as("and no other service").isEmpty();
                        assertThat(list(map(rule).get("ports"))).as("and only on its entry port: " + selected)
                                .containsExactly(Map.of("port", selected.contains("cluster-batcher") ? "agents" : "http"));
                    }
                    assertThat(map(from)).as("no ipBlock opens a pod to the world").doesNotContainKey("ipBlock");
                }
            }
        }
        for (Map<String, Object> role : kind(docs, "Role")) {
            for (Object r : list(at(role, "rules"))) {
                List<Object> verbs = list(map(r).get("verbs"));
                if (!Set.of("get", "list", "watch").containsAll(verbs)) {
                    assertThat(list(map(r).get("resourceNames"))).as("a role that writes names what it writes").isNotEmpty();
                }
                assertThat(list(map(r).get("resources"))).as("no token reads a Secret").doesNotContain("secrets");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void eachServiceHasItsOwnAccountOnlyCluster_batcherScalesAndEgressIsClosedButForWhatIsNeeded(String overlay)
            throws Exception {
        List<Map<String, Object>> docs = render(overlay);
        assertThat(kind(docs, "ServiceAccount").stream().map(DeploymentTest::name).collect(Collectors.toSet()))
                .isEqualTo(SERVICES);
        for (Map<String, Object> binding : kind(docs, "RoleBinding")) {
            String role = (String) at(binding, "roleRef.name");
            List<Object> subjects = list(binding.get("subjects")).stream().map(x -> map(x).get("name")).toList();
            if (role.equals("rollout-scaling")) {
                assertThat(subjects).containsExactly("cluster-batcher");
            }
            if (role.equals("rollout-discovery")) {
                assertThat(subjects).containsExactly("rollout-api");
            }
        }
        List<Map<String, Object>> policies = kind(docs, "NetworkPolicy");
        assertThat(policies).anySatisfy(p -> {
            assertThat(at(p, "spec.podSelector")).isEqualTo(Map.of());
            assertThat(list(at(p, "spec.policyTypes"))).containsExactly("Egress");
            assertThat(at(p, "spec.egress")).isNull();
        });
        for (Map<String, Object> policy : policies) {
            for (Object rule : list(at(policy, "spec.egress"))) {
                for (Object to : list(map(rule).get("to"))) {
                    Object cidr = at(map(to), "ipBlock.cidr");
                    if ("0.0.0.0/0".equals(cidr)) {
                        assertThat(list(at(map(to), "ipBlock.except"))).as(name(policy) + " reaches no private address")
                                .contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10");
                    }
                }
            }
        }
        for (Map<String, Object> secret : kind(docs, "Secret")) {
            assertThat(String.valueOf(secret)).as("no placeholder secret").doesNotContain("change-me");
        }
        if (overlay.equals("prod")) {
            assertThat(kind(docs, "Secret")).as("production secrets come from the secret manager, not the repository")
                    .isEmpty();
        }
    }

    @Test
    void composeStartsByHealthAndPublishesOnlyTheTwoEntryPoints() throws IOException {
        Map<String, Object> compose = map(yaml().load(Files.readString(ROOT.resolve("docker-compose.yml"))));
        Map<String, Object> services = map(compose.get("services"));
        assertThat(services.keySet()).containsAll(SERVICES).contains("postgres", "prometheus", "grafana");
        services.forEach((name, value) -> {
            Map<String, Object> service = map(value);
            assertThat(service).as(name + " has a healthcheck").containsKey("healthcheck");
            assertThat(String.valueOf(service.get("image"))).as(name).matches(".+:[^:]+").doesNotEndWith(":latest");
            if (SERVICES.contains(name)) {
                assertThat(map(service.get("environment")).get("LOGGING_STRUCTURED_FORMAT_CONSOLE"))
                        .as(name + " logs JSON lines").isEqualTo("ecs");
            }
            Object dependsOn = service.get("depends_on");
            if (dependsOn != null) {
                map(dependsOn).forEach((dependency, condition) -> assertThat(map(condition).get("condition"))
                        .as(name + " waits for " + dependency).isEqualTo("service_healthy"));
            }
            for (Object port : list(service.get("ports"))) {
                String published = String.valueOf(port);
                assertThat(published).as(name + " listens on loopback unless told otherwise")
                        .matches("(127\\.0\\.0\\.1|\\$\\{ROLLOUT_PUBLISH_ADDRESS:-127\\.0\\.0\\.1\\}):.*");
                if (!published.startsWith("127.0.0.1:")) {
                    assertThat(ENTRY_POINTS).as(name + " publishes " + port).contains(name);
                }
            }
        });
        String text = Files.readString(ROOT.resolve("docker-compose.yml"));
        assertThat(text).as("no password has a default").doesNotContain("change-me").doesNotContain("PASSWORD:-")
                .contains("${ROLLOUT_DB_PASSWORD:?").contains("${GRAFANA_ADMIN_PASSWORD:?");
        assertThat(services.keySet().stream().filter(SERVICES::contains).filter(s -> !s.equals("rollout-api"))
                .map(s -> map(services.get(s)).get("depends_on"))).allSatisfy(d -> assertThat(d).isNotNull());
    }

    @Test
    void prometheusScrapesEveryServiceAndTheDashboardShowsMetricsTheServicesPublish() throws Exception {
        String prometheus = Files.readString(ROOT.resolve("deploy/prometheus/prometheus.yml"));
        Map<String, Object> config = map(yaml().load(prometheus));
        String targets = String.valueOf(config.get("scrape_configs"));
        SERVICES.forEach(s -> assertThat(targets).contains(s + ":"));
        assertThat(targets).contains("/actuator/prometheus");
        try {
            // checked as compose mounts it: the scrape token file at its place in the container
            Path mounted = Files.createTempFile("prometheus", ".yml");
            Files.writeString(mounted, prometheus.replace("/etc/prometheus/scrape-token",
                    ROOT.resolve("deploy/prometheus/dev-metrics.token").toString())
                    .replace("/etc/prometheus/rules/", ROOT.resolve("deploy/prometheus/rules").toString() + "/"));
            Process promtool = new ProcessBuilder("promtool", "check", "config", mounted.toString())
                    .redirectErrorStream(true).start();
            String out = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(promtool.waitFor()).as(out).isZero();
        }
        catch (IOException notInstalled) {
            // promtool is not installed here: the structure above is what is checked
        }

        String dashboard = Files.readString(ROOT.resolve("deploy/grafana/dashboards/rollout-platform.json"));
        String sources;
        try (Stream<Path> files = Files.walk(ROOT).filter(p -> p.toString().endsWith(".java")
                && p.toString().contains("/src/main/"))) {
            sources = files.map(p -> {
                try {
                    return Files.readString(p);
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
        String rules = Files.readString(ROOT.resolve("deploy/prometheus/rules/rollout-alerts.yml"));
        Matcher metric = Pattern.compile("\\b(rollout_[a-z_]+)").matcher(dashboard + "\n" + rules);
        int seen = 0;
        while (metric.find()) {
            String name = metric.group(1).replaceAll("_(total|seconds_max|seconds_bucket|seconds_count|seconds)$", "")
                    .replace('_', '.');
            assertThat(sources).as("the dashboard's or an alert's " + metric.group(1) + " is published as " + name)
                    .contains("\"" + name + "\"");
            seen++;
        }
        assertThat(seen).isGreaterThanOrEqualTo(8);
        for (String panel : List.of("Rollouts by phase", "Batch progress", "response rate", "Gate verdicts", "Rollbacks",
                "API latency")) {
            assertThat(dashboard).contains(panel);
        }
    }

    /**
     * The alert rules pass promtool's checks and their unit tests (each alert firing and not firing; CI installs
     * promtool), every alert has its runbook; Kubernetes gets the very same groups as compose, in a PrometheusRule of
     * every overlay.
     */
    @Test
    void theAlertRulesPassTheirPromtoolTestsAndEachHasItsRunbook() throws Exception {
        Path rules = ROOT.resolve("deploy/prometheus/rules");
        List<Object> alerts = new ArrayList<>();
        for (Object group : list(composeRules().get("groups"))) {
            for (Object rule : list(map(group).get("rules"))) {
                alerts.add(map(rule).get("alert"));
                assertThat(map(map(rule).get("annotations")).get("runbook")).as("runbook of " + map(rule).get("alert"))
                        .isEqualTo("docs/operations.md#" + String.valueOf(map(rule).get("alert")).toLowerCase());
            }
        }
        assertThat(alerts).hasSize(10);
        String operations = Files.readString(ROOT.resolve("docs/operations.md"));
        alerts.forEach(a -> assertThat(operations).as("the runbook of " + a).contains("### " + a + "\n"));
        String tests = Files.readString(rules.resolve("rollout-alerts.test.yml"));
        alerts.forEach(a -> assertThat(tests).as("a promtool test of " + a).contains("alertname: " + a + "\n"));

        for (List<String> command : List.of(List.of("promtool", "check", "rules", "rollout-alerts.yml"),
                List.of("promtool", "test", "rules", "rollout-alerts.test.yml"))) {
            Process promtool;
            try {
                promtool = new ProcessBuilder(command).directory(rules.toFile()).redirectErrorStream(true).start();
            }
            catch (IOException notInstalled) {
                Assumptions.abort("promtool is not installed here (CI installs it): " + notInstalled.getMessage());
                return;
            }
            String out = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(promtool.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(promtool.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void kubernetesGetsTheSameAlertRulesAndDashboardAsCompose(String overlay) throws Exception {
        List<Map<String, Object>> docs = render(overlay);
        List<Map<String, Object>> prometheusRules = kind(docs, "PrometheusRule");
        assertThat(prometheusRules).hasSize(1);
        assertThat(at(prometheusRules.get(0), "spec.groups")).as("the PrometheusRule holds the compose rules")
                .isEqualTo(composeRules().get("groups"));

        Map<String, Object> dashboard = kind(docs, "ConfigMap").stream()
                .filter(c -> name(c).equals("rollout-grafana-dashboard")).findFirst().orElseThrow();
        assertThat(at(dashboard, "metadata.labels.grafana_dashboard")).as("what Grafana's sidecar loads").isEqualTo("1");
        String json = (String) map(dashboard.get("data")).get("rollout-platform.json");
        assertThat(json).isEqualTo(Files.readString(ROOT.resolve("deploy/grafana/dashboards/rollout-platform.json")));
        assertThat(JsonMapper.builder().build().readTree(json).get("panels").size())
                .as("the dashboard loads as JSON, with its panels").isGreaterThanOrEqualTo(8);
    }

    static Map<String, Object> composeRules() throws IOException {
        return map(yaml().load(Files.readString(ROOT.resolve("deploy/prometheus/rules/rollout-alerts.yml"))));
    }
}
