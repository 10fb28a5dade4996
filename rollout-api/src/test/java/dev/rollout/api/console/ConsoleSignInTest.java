package dev.rollout.api.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Signing in to the console and what the session may then do: the token is checked as the API checks it, only the
 * four people's roles get in, the session id changes at sign-in, every form needs its CSRF token, the services are
 * called with the person's own token, and a token the services stop accepting ends the session. The API beside it
 * keeps its bearer tokens and answers problems, not sign-in pages.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleSignInTest {

    static final String ROLLOUTS = """
            {"items": [{"id": "5b3f1c9e-8f7a-4e0b-9a51-2c1d6e7f8a90", "name": "assistant 2.4", "targetVersion": "2.4.0",
              "previousStableVersion": "2.3.1", "components": [{"name": "planner", "version": "2.4.0"}],
              "status": "EXPANSION", "phase": "EXPANSION", "batch": 3, "batches": 20, "statusSince": "2026-12-06T00:27:45Z",
              "approved": false, "promoted": false, "conditions": [], "addedLater": {"ignored": true},
              "lastEvaluation": {"id": "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6", "phase": "EXPANSION", "batch": 2,
                                 "verdict": "PASS", "reasons": [], "evaluatedAt": "2026-12-06T00:20:00Z", "link": "/x"}}],
             "page": 0, "size": 100, "totalItems": 1, "totalPages": 1}""";

    @RegisterExtension
    static WireMockExtension phaseEngine = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("rollout.services.urls.phase-engine", phaseEngine::baseUrl);
    }

    @LocalServerPort
    int port;

    HttpClient browser;

    @BeforeEach
    void newBrowser() {
        browser = browser(phaseEngine);
    }

    /** A browser of its own (cookies kept, redirects shown), and a phase-engine that lists two rollouts. */
    static HttpClient browser(WireMockExtension phaseEngine) {
        phaseEngine.stubFor(get(urlPathEqualTo("/api/rollouts")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(ROLLOUTS)));
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    HttpResponse<String> page(String path) throws IOException, InterruptedException {
        return browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> submit(String path, String form) throws IOException, InterruptedException {
        return browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static String csrf(String page) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(m.find()).as("a CSRF token in the page").isTrue();
        return URLEncoder.encode(m.group(1), StandardCharsets.UTF_8);
    }

    String signIn(String token) throws Exception {
        String csrf = csrf(page("/console/login").body());
        HttpResponse<String> signedIn = submit("/console/login", "_csrf=" + csrf + "&token=" + token);
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location").orElseThrow()).endsWith("/console/rollouts");
        return csrf;
    }

    @Test
    void anyoneNotSignedInIsSentToTheSignInPageWhileTheApiStillAnswersProblems() throws Exception {
        HttpResponse<String> page = page("/console/rollouts");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/console/login");
        HttpResponse<String> signIn = page("/console/login");
        assertThat(signIn.statusCode()).isEqualTo(200);
        assertThat(signIn.body()).contains("name=\"token\"").contains("dev-release-manager");
        assertThat(signIn.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'").contains("frame-ancestors 'none'");
        HttpResponse<String> api = page("/api/rollouts");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(api.headers().firstValue("Set-Cookie")).as("the API keeps no session").isEmpty();
    }

    @Test
    void aTokenIsCheckedAsTheApiChecksItAndOnlyThePeoplesRolesGetIn() throws Exception {
        String csrf = csrf(page("/console/login").body());
        HttpResponse<String> unknown = submit("/console/login", "_csrf=" + csrf + "&token=not-a-token");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("The token was not accepted");
        HttpResponse<String> pilot = submit("/console/login", "_csrf=" + csrf + "&token=dev-pilot-elite-01");
        assertThat(pilot.statusCode()).isEqualTo(403);
        assertThat(pilot.body()).contains("none of those roles");
        HttpResponse<String> agent = submit("/console/login", "_csrf=" + csrf + "&token=dev-agent-a1");
        assertThat(agent.statusCode()).isEqualTo(403);
        assertThat(submit("/console/login", "token=dev-release-manager").statusCode()).as("no CSRF token").isEqualTo(403);
        assertThat(page("/console/rollouts").statusCode()).as("still not signed in").isEqualTo(302);
    }

    @Test
    void aSignedInViewerReadsWithItsOwnTokenAndANewSessionId() throws Exception {
        String before = page("/console/login").headers().allValues("Set-Cookie").toString();
        signIn("dev-viewer");
        HttpResponse<String> page = page("/console/rollouts");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("assistant 2.4").contains("3 of 20").contains("PASS (EXPANSION batch 2)")
                .contains("2026-12-06 00:27 UTC").contains("VIEWER");
        assertThat(before).as("a session id is issued anew at sign-in").doesNotContain(sessionId());
        phaseEngine.verify(getRequestedFor(urlPathEqualTo("/api/rollouts"))
                .withHeader("Authorization", equalTo("Bearer dev-viewer")));

        HttpResponse<String> filtered = page("/console/rollouts/list?status=paused");
        assertThat(filtered.statusCode()).isEqualTo(200);
        phaseEngine.verify(getRequestedFor(urlPathEqualTo("/api/rollouts")).withQueryParam("status", equalTo("PAUSED")));
        HttpResponse<String> bad = page("/console/rollouts?status=NOPE");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("no such status");
    }

    @Test
    void anActionNeedsItsCsrfTokenAndIsAskedOfTheServiceWithThePersonsToken() throws Exception {
        String csrf = signIn("dev-release-manager");
        String rollout = "/console/rollouts/5b3f1c9e-8f7a-4e0b-9a51-2c1d6e7f8a90";
        phaseEngine.stubFor(post(urlPathEqualTo(
                "/api/rollouts/5b3f1c9e-8f7a-4e0b-9a51-2c1d6e7f8a90/pause")).willReturn(aResponse().withStatus(409)
                        .withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"title\":\"Conflict\",\"status\":409,\"detail\":\"PAUSE is not allowed from PAUSED\"}")));
        assertThat(submit(rollout + "/actions/pause", "reason=night").statusCode()).as("no CSRF token").isEqualTo(403);
        phaseEngine.verify(0, postRequestedFor(urlPathEqualTo("/api/rollouts/5b3f1c9e-8f7a-4e0b-9a51-2c1d6e7f8a90/pause")));

        // the CSRF token is issued anew at sign-in: the one of the sign-in page no longer serves
        String current = csrf(page("/console/rollouts").body());
        assertThat(current).isNotEqualTo(csrf);
        HttpResponse<String> refused = submit(rollout + "/actions/pause", "_csrf=" + current + "&reason=night");
        assertThat(refused.statusCode()).isEqualTo(302);
        phaseEngine.verify(postRequestedFor(urlPathEqualTo("/api/rollouts/5b3f1c9e-8f7a-4e0b-9a51-2c1d6e7f8a90/pause"))
                .withHeader("Authorization", equalTo("Bearer dev-release-manager"))
                .withRequestBody(equalToJson("{\"reason\":\"night\"}")));
        assertThat(submit(rollout + "/actions/reboot", "_csrf=" + current).statusCode()).as("no such action").isEqualTo(404);
    }

    @Test
    void aTokenTheServicesNoLongerAcceptEndsTheSession() throws Exception {
        signIn("dev-on-call");
        phaseEngine.stubFor(get(urlPathEqualTo("/api/rollouts")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"Jwt expired\"}")));
        HttpResponse<String> page = page("/console/rollouts");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/console/login?expired");
        assertThat(page("/console/login?expired").body()).contains("no longer accepted");
        phaseEngine.stubFor(get(urlPathEqualTo("/api/rollouts")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(ROLLOUTS)));
        assertThat(page("/console/rollouts").statusCode()).as("the session is over").isEqualTo(302);
    }

    private String sessionId() {
        return ((CookieManager) browser.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("JSESSIONID")).findFirst().orElseThrow().getValue();
    }
}
