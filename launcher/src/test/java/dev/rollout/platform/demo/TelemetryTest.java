package dev.rollout.platform.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The simulated fleet's own measurements: pushed samples and the Prometheus exposition a real Prometheus scrapes. */
class TelemetryTest {

    static final UUID ROLLOUT = UUID.fromString("7f39d1d1-05d6-4c2a-b595-bd0d7b973ffa");
    /** A sample line of the text format: name, optional labels, a number. */
    static final Pattern SAMPLE = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\",?)*\\})? "
            + "(-?[0-9.eE+-]+|\\+Inf|NaN)");

    FleetSimulator simulator() {
        return new FleetSimulator(null, null, 1000, 2, 1.0, 0.001);
    }

    @Test
    void aLatencyRegressionSlowsOnlyTheFaultyComponentOfItsBatch() {
        FleetSimulator fleet = simulator();
        fleet.observe(ROLLOUT, "batch-3", 1000, Fault.LATENCY);
        Telemetry t = fleet.telemetry();
        double planner = t.of(new Telemetry.Series(ROLLOUT.toString(), "batch-3", "planner", "CANARY")).meanLatencyMs();
        double baseline = t.of(new Telemetry.Series(ROLLOUT.toString(), "batch-3", "planner", "BASELINE")).meanLatencyMs();
        double memory = t.of(new Telemetry.Series(ROLLOUT.toString(), "batch-3", "memory", "CANARY")).meanLatencyMs();
        assertThat(planner / baseline).isCloseTo(118 * 1.45 / 112, Offset.offset(0.001));
        assertThat(memory).isCloseTo(104, Offset.offset(0.001));
        assertThat(t.samples(ROLLOUT.toString(), "batch-3", 3))
                .contains("{\"metric\": \"REQUESTS\", \"value\": 50000, \"component\": \"planner\", \"batch\": 3}")
                .contains("{\"metric\": \"LATENCY_MS\", \"variant\": \"CANARY\", \"value\": 171.100, \"count\": 50000,"
                        + " \"component\": \"planner\", \"batch\": 3}")
                .contains("{\"metric\": \"CRITICAL_REQUESTS\", \"value\": 20000, \"batch\": 3}");
    }

    @Test
    void aStageObservedAgainIsPushedWithItsNewTrafficOnly() {
        FleetSimulator fleet = simulator();
        fleet.observe(ROLLOUT, "batch-2", 1000, Fault.ERROR_SPIKE);
        assertThat(fleet.telemetry().samples(ROLLOUT.toString(), "batch-2", 2))
                .contains("{\"metric\": \"ERRORS\", \"value\": 750, \"component\": \"memory\", \"batch\": 2}");
        fleet.observe(ROLLOUT, "batch-2", 400, Fault.NONE);
        String again = fleet.telemetry().samples(ROLLOUT.toString(), "batch-2", 2);
        assertThat(again).contains("{\"metric\": \"REQUESTS\", \"value\": 20000, \"component\": \"memory\", \"batch\": 2}")
                .contains("{\"metric\": \"ERRORS\", \"value\": 20, \"component\": \"memory\", \"batch\": 2}");
        assertThat(fleet.telemetry().samples(ROLLOUT.toString(), "batch-2", 2)).isEqualTo("{\"samples\": []}");
        assertThat(fleet.telemetry().exposition()).contains("simulated_agent_errors_total{rollout=\"" + ROLLOUT
                + "\",stage=\"batch-2\",component=\"memory\",variant=\"canary\"} 770");
    }

    @Test
    void anErrorSpikeFailsOneAndAHalfPercentOfTheFaultyComponentsRequests() {
        FleetSimulator fleet = simulator();
        fleet.observe(ROLLOUT, "batch-2", 1000, Fault.ERROR_SPIKE);
        Telemetry.Traffic memory = fleet.telemetry().of(new Telemetry.Series(ROLLOUT.toString(), "batch-2", "memory", "CANARY"));
        Telemetry.Traffic planner = fleet.telemetry().of(new Telemetry.Series(ROLLOUT.toString(), "batch-2", "planner", "CANARY"));
        assertThat(memory.errors.get()).isEqualTo(750);
        assertThat(planner.errors.get()).isEqualTo(50);
    }

    @Test
    void theExpositionIsTheTextFormatWithCumulativeBucketsThatPromtoolAccepts() throws Exception {
        FleetSimulator fleet = simulator();
        fleet.observe(ROLLOUT, "batch-1", 1000, Fault.NONE);
        fleet.telemetry().acknowledged(ROLLOUT.toString(), 1, "UTC+5", 42);
        String url = fleet.serveMetrics(0);
        HttpResponse<String> scraped;
        try {
            scraped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        finally {
            fleet.stopMetrics();
        }
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        String text = scraped.body();
        for (String line : text.split("\n")) {
            assertThat(line.startsWith("# HELP ") || line.startsWith("# TYPE ") || SAMPLE.matcher(line).matches())
                    .as("line '%s'", line).isTrue();
        }
        String series = "{rollout=\"" + ROLLOUT + "\",stage=\"batch-1\",component=\"planner\",variant=\"canary\"";
        assertThat(text).contains("# TYPE simulated_agent_request_duration_seconds histogram")
                .contains("simulated_agent_requests_total" + series + "} 50000")
                .contains("simulated_agent_request_duration_seconds_bucket" + series + ",le=\"0.1\"} 10000")
                .contains("simulated_agent_request_duration_seconds_bucket" + series + ",le=\"0.15\"} 40000")
                .contains("simulated_agent_request_duration_seconds_bucket" + series + ",le=\"0.2\"} 50000")
                .contains("simulated_agent_request_duration_seconds_bucket" + series + ",le=\"+Inf\"} 50000")
                .contains("simulated_agent_request_duration_seconds_count" + series + "} 50000")
                .contains("simulated_agent_acknowledgements_total{rollout=\"" + ROLLOUT + "\",batch=\"1\",time_zone=\"UTC+5\"} 42");
        Path promtool = Path.of("/usr/bin/promtool");
        if (Files.isExecutable(promtool)) {
            Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
            check.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            check.getOutputStream().close();
            String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor()).as(out).isZero();
        }
    }

    /** Where the Prometheus server is installed (Debian's package), it scrapes the simulator and answers a query. */
    @Test
    void aRealPrometheusScrapesTheSimulatorAndAnswersFromIt() throws Exception {
        Path prometheus = Path.of("/usr/bin/prometheus");
        Assumptions.assumeTrue(Files.isExecutable(prometheus), "no Prometheus server installed");
        FleetSimulator fleet = simulator();
        fleet.observe(ROLLOUT, "batch-1", 1000, Fault.LATENCY);
        String target = fleet.serveMetrics(0).replace("http://", "").replace("/metrics", "");
        Path dir = Files.createTempDirectory("prometheus");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: simulated-fleet
                    static_configs:
                      - targets: ['%s']
                """.formatted(target));
        Process server = new ProcessBuilder(prometheus.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            String query = "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(
                    "sum by (component) (simulated_agent_requests_total{variant=\"canary\",stage=\"batch-1\"})",
                    StandardCharsets.UTF_8);
            String answer = "";
            Instant deadline = Instant.now().plusSeconds(60);
            while (!answer.contains("\"component\":\"planner\"") && Instant.now().isBefore(deadline)) {
                Thread.sleep(500);
                try {
                    answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(query)).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                }
                catch (IOException notUpYet) {
                    answer = "";
                }
            }
            assertThat(answer).as(Files.readString(dir.resolve("prometheus.log"))).contains("\"status\":\"success\"")
                    .contains("\"component\":\"planner\"").contains("\"50000\"");
        }
        finally {
            server.destroy();
            server.waitFor();
            fleet.stopMetrics();
        }
    }

    @Test
    void anUnknownFaultNamesTheOnesThereAre() {
        assertThat(Fault.of("Silent-Zone")).isEqualTo(Fault.SILENT_ZONE);
        assertThatThrownBy(() -> Fault.of("meteor")).hasMessageContaining("none, error-spike, latency, silent-zone, pilot-feedback");
    }
}
