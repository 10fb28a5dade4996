package dev.rollout.phaseengine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The standalone mode's embedded database (H2 in PostgreSQL mode, in a file): the migrations apply,
 * a rollout is stored, and it is still there after a restart.
 */
class StandaloneDatabaseTest {

    @Test
    void migratesStoresAndKeepsARolloutAcrossARestart() throws Exception {
        Path data = Files.createTempDirectory("rollout-standalone");
        String[] args = {
                "--server.port=0", "--rollout.security.mode=DEV", "--rollout.test.database=embedded",
                "--spring.datasource.url=jdbc:h2:file:" + data.resolve("phase-engine")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                        + ";INIT=CREATE SCHEMA IF NOT EXISTS phase_engine",
                "--spring.datasource.username=sa", "--spring.datasource.password=" };
        String id;
        try (ConfigurableApplicationContext first = SpringApplication.run(PhaseEngineApplication.class, args)) {
            Http http = Http.localhost(port(first));
            Http.Answer created = http.post("/api/rollouts", "dev-release-manager", """
                    {"name":"standalone","targetVersion":"2.0.0","previousStableVersion":"1.0.0",
                     "components":[{"name":"core","version":"2.0.0"}]}""");
            assertThat(created.status()).isEqualTo(201);
            id = created.body().replaceAll(".*\"id\":\"([0-9a-f-]+)\".*", "$1");
        }
        try (ConfigurableApplicationContext second = SpringApplication.run(PhaseEngineApplication.class, args)) {
            Http.Answer read = Http.localhost(port(second)).get("/api/rollouts/" + id, "dev-viewer");
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.body()).contains("\"name\":\"core\"");
        }
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
