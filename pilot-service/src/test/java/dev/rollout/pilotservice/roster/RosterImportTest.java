package dev.rollout.pilotservice.roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RosterImportTest {

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
        assertThat(http.put("/api/pilots", "dev-release-manager", Rosters.json(Rosters.plan())).status()).isEqualTo(200);
    }

    @Test
    void importsThePlansRosterOf44() {
        Http.Answer roster = http.get("/api/pilots", "dev-viewer");
        assertThat(roster.body().split("\"id\":", -1)).hasSize(45);
        assertThat(roster.body()).contains("\"id\":\"elite-s4-11\"").contains("\"id\":\"mastery-w1s3-11\"");
    }

    @Test
    void refusesABrokenRosterWithTheExactDifferenceAndKeepsTheOldOne() {
        List<Rosters.Entry> broken = new ArrayList<>(Rosters.plan());
        broken.set(22, new Rosters.Entry("mastery-w1s2-01", "MASTERY_33", 1, 3));
        Http.Answer answer = http.put("/api/pilots", "dev-release-manager", Rosters.json(broken));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body()).contains("Wing 1 Squadron 2 has 10 Mastery pilots, needs 11")
                .contains("Wing 1 Squadron 3 has 12 Mastery pilots, needs 11").contains("\"violations\"");
        assertThat(http.get("/api/pilots/mastery-w1s2-01", "dev-viewer").body()).contains("\"squadron\":2");

        List<Rosters.Entry> short43 = new ArrayList<>(Rosters.plan());
        short43.remove(0);
        Http.Answer missing = http.put("/api/pilots", "dev-release-manager", Rosters.json(short43));
        assertThat(missing.body()).contains("Squadron 4 has 10 Elite pilots, needs 11")
                .contains("The roster has 43 pilots, needs 44");

        List<Rosters.Entry> misplaced = new ArrayList<>(Rosters.plan());
        misplaced.set(0, new Rosters.Entry("elite-s4-01", "ELITE_11", 1, 2));
        assertThat(http.put("/api/pilots", "dev-release-manager", Rosters.json(misplaced)).body())
                .contains("Elite pilot elite-s4-01 is in Wing 1 Squadron 2; the Elite pilots come from Squadron 4");
    }

    @Test
    void anEditThatBreaksTheCompositionIsRefused() {
        Http.Answer answer = http.put("/api/pilots/mastery-w1s1-01", "dev-release-manager",
                "{\"name\":\"Moved\",\"contact\":\"m@example.org\",\"group\":\"MASTERY_33\",\"wing\":1,\"squadron\":2}");
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body()).contains("Wing 1 Squadron 1 has 10 Mastery pilots, needs 11");
        Http.Answer rename = http.put("/api/pilots/mastery-w1s1-01", "dev-release-manager",
                "{\"name\":\"Renamed\",\"contact\":\"m@example.org\",\"group\":\"MASTERY_33\",\"wing\":1,\"squadron\":1}");
        assertThat(rename.status()).isEqualTo(200);
        assertThat(rename.body()).contains("Renamed");
    }

    @Test
    void onlyAReleaseManagerImports() {
        String roster = Rosters.json(Rosters.plan());
        assertThat(http.put("/api/pilots", "dev-viewer", roster).status()).isEqualTo(403);
        assertThat(http.put("/api/pilots", "dev-ci", roster).status()).isEqualTo(403);
        assertThat(http.put("/api/pilots", "dev-pilot-elite-s4-01", roster).status()).isEqualTo(403);
        assertThat(http.put("/api/pilots", "dev-release-manager", "[{\"id\":\"x\"}]").status()).isEqualTo(400);
    }
}
