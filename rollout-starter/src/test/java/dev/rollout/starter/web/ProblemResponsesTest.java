package dev.rollout.starter.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;

import dev.rollout.starter.test.Http;
import dev.rollout.starter.testapp.StarterTestApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(classes = StarterTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "rollout.security.mode=DEV", "rollout.web.max-request-size=2KB" })
class ProblemResponsesTest {

    static final String TOKEN = "dev-release-manager";

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
    }

    @Test
    void aServiceThatDoesNotAnswerIsA503WithRetryAfterNotA500() {
        Http.Answer answer = http.get("/api/upstream", "dev-viewer");
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.header("Retry-After")).isEqualTo("5");
        assertThat(answer.body()).contains("is not answering (ConnectException)");
    }

    @Test
    void lockContentionTheDatabaseBrokeIsA503ToRetryNotA500() {
        Http.Answer answer = http.post("/api/contention", TOKEN, "");
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.header("Retry-After")).isEqualTo("1");
        assertThat(answer.body()).contains("retry it").doesNotContain("deadlock");
    }

    @Test
    void malformedJsonIsA400ThatSaysWhere() {
        Http.Answer answer = http.post("/api/widgets", TOKEN, "{\"name\": \"a\",");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.body()).contains("Malformed JSON").contains("line 1");
    }

    @Test
    void anUnknownFieldIsA400NamingIt() {
        Http.Answer answer = http.post("/api/widgets", TOKEN, "{\"name\":\"a\",\"size\":1,\"colour\":\"red\"}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("colour");
    }

    @Test
    void aWrongTypeIsA400NamingTheField() {
        Http.Answer answer = http.post("/api/widgets", TOKEN, "{\"name\":\"a\",\"size\":\"big\"}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("Field 'size'");
    }

    @Test
    void aConstraintViolationIsA400NamingTheField() {
        Http.Answer answer = http.post("/api/widgets", TOKEN, "{\"name\":\"\",\"size\":0}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("\"field\":\"name\"").contains("\"field\":\"size\"");
    }

    @Test
    void anOversizedBodyIsA413() {
        String big = "{\"name\":\"" + "x".repeat(4000) + "\",\"size\":1}";
        Http.Answer answer = http.post("/api/widgets", TOKEN, big);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body()).contains("exceeds the limit");
    }

    @Test
    void anOversizedChunkedBodyIsA413() {
        String big = "{\"name\":\"" + "x".repeat(4000) + "\",\"size\":1}";
        HttpRequest request = http.request("/api/widgets", TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes())))
                .build();
        Http.Answer answer = http.send(request);
        assertThat(answer.status()).isEqualTo(413);
    }

    @Test
    void aMissingThingIsA404Problem() {
        Http.Answer answer = http.get("/api/widgets/42", "dev-viewer");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body()).contains("Widget 42 does not exist");
    }

    @Test
    void aWrongPathParameterTypeIsA400() {
        Http.Answer answer = http.get("/api/widgets/abc", "dev-viewer");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("Parameter 'id'");
    }

    @Test
    void aPathTheFirewallRefusesIsA400Problem() {
        Http.Answer answer = http.get("/api//widgets/1", "dev-viewer");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.body()).contains("rejected");
    }

    @Test
    void anUnknownPathIsA404Problem() {
        Http.Answer answer = http.get("/api/nothing-here", TOKEN);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    }
}
