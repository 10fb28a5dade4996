package dev.rollout.platform.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ByteArrayResource;

/**
 * Every YAML file of the platform, and every YAML entry of a ConfigMap, loads with the loader Spring Boot reads
 * configuration with, which refuses a key given twice in one mapping (SnakeYAML alone keeps the last one quietly,
 * as kubectl and Docker do: a second {@code rollout:} block would silently replace the first).
 */
class PlatformYamlTest {

    static final YamlPropertySourceLoader SPRING = new YamlPropertySourceLoader();

    @Test
    void springsLoaderRefusesADuplicateKey() {
        assertThatThrownBy(() -> load("sample", """
                rollout:
                  security:
                    mode: JWT
                rollout:
                  services:
                    urls: {}
                """)).hasMessageContaining("duplicate key rollout");
    }

    @Test
    void everyYamlOfThePlatformLoadsWithSpringsLoader() throws IOException {
        List<Path> files = files();
        assertThat(files).as("the services' application.yml, compose, Prometheus, Grafana and Kubernetes files")
                .hasSizeGreaterThanOrEqualTo(25)
                .contains(DeploymentTest.ROOT.resolve("docker-compose.yml"),
                        DeploymentTest.ROOT.resolve("deploy/k8s/base/rollout-api.yaml"),
                        DeploymentTest.ROOT.resolve("phase-engine/src/main/resources/application.yml"));
        int entries = 0;
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String name = DeploymentTest.ROOT.relativize(file).toString();
            load(name, text);
            for (Object doc : DeploymentTest.yaml().loadAll(text)) {
                if (doc instanceof Map<?, ?> manifest && "ConfigMap".equals(manifest.get("kind"))
                        && manifest.get("data") instanceof Map<?, ?> data) {
                    for (Map.Entry<?, ?> entry : data.entrySet()) {
                        String key = String.valueOf(entry.getKey());
                        if (key.endsWith(".yaml") || key.endsWith(".yml")) {
                            load(name + " " + key, String.valueOf(entry.getValue()));
                            entries++;
                        }
                    }
                }
            }
        }
        assertThat(entries).as("the services' ConfigMaps' application.yaml entries").isGreaterThanOrEqualTo(6);
    }

    static void load(String name, String yaml) {
        try {
            SPRING.load(name, new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8), name));
        }
        catch (IOException | RuntimeException e) {
            throw new AssertionError(name + " does not load with Spring's YAML loader: " + e.getMessage(), e);
        }
    }

    static List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(DeploymentTest.ROOT)) {
            walk.filter(p -> {
                String relative = DeploymentTest.ROOT.relativize(p).toString();
                return (relative.endsWith(".yml") || relative.endsWith(".yaml")) && !relative.startsWith(".")
                        && !relative.contains("/target/") && !relative.contains("node_modules")
                        && !relative.contains("/src/test/");
            }).sorted().forEach(files::add);
        }
        return files;
    }
}
