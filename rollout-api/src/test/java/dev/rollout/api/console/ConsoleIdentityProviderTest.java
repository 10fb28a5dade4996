package dev.rollout.api.console;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * In JWT mode, the console's sign-in goes through the identity provider (OAuth 2 authorization code): the access token
 * it issues is checked as the API checks any token (signature from the provider's key set, issuer, audience, expiry,
 * roles) and every call to the services carries it. The provider here is a small one of the test's own, with the
 * endpoints a real one has: authorize, token, user info and key set.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rollout.security.mode=JWT", "rollout.security.jwt-audience=rollout-platform",
        "spring.security.oauth2.client.registration.company.client-id=rollout-console",
        "spring.security.oauth2.client.registration.company.client-secret=console-secret",
        "spring.security.oauth2.client.registration.company.client-name=Company SSO",
        "spring.security.oauth2.client.registration.company.authorization-grant-type=authorization_code",
        "spring.security.oauth2.client.registration.company.redirect-uri={baseUrl}/login/oauth2/code/{registrationId}",
        "spring.security.oauth2.client.registration.company.scope=rollout",
        "spring.security.oauth2.client.provider.company.user-name-attribute=sub" })
class ConsoleIdentityProviderTest {

    static final IdentityProvider PROVIDER = new IdentityProvider();

    @RegisterExtension
    static WireMockExtension phaseEngine = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("rollout.services.urls.phase-engine", phaseEngine::baseUrl);
        registry.add("rollout.security.jwt-issuer", PROVIDER::issuer);
        registry.add("rollout.security.jwk-set-uri", () -> PROVIDER.issuer() + "/jwks");
        registry.add("spring.security.oauth2.client.provider.company.authorization-uri", () -> PROVIDER.issuer() + "/authorize");
        registry.add("spring.security.oauth2.client.provider.company.token-uri", () -> PROVIDER.issuer() + "/token");
        registry.add("spring.security.oauth2.client.provider.company.user-info-uri", () -> PROVIDER.issuer() + "/userinfo");
    }

    @AfterAll
    static void stop() {
        PROVIDER.server.stop(0);
    }

    @LocalServerPort
    int port;

    HttpClient browser;

    @BeforeEach
    void newBrowser() {
        browser = ConsoleSignInTest.browser(phaseEngine);
    }

    HttpResponse<String> open(String url) throws IOException, InterruptedException {
        return browser.send(HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : "http://127.0.0.1:" + port + url))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Follows the redirects as a browser would, from the sign-in page's link to wherever the console sends it. */
    HttpResponse<String> signInThroughTheProvider() throws Exception {
        HttpResponse<String> page = open("/console/login");
        assertThat(page.body()).contains("Sign in with Company SSO").contains("href=\"/oauth2/authorization/company\"")
                .doesNotContain("dev-release-manager");
        HttpResponse<String> answer = open("/oauth2/authorization/company");
        for (int hops = 0; hops < 5 && answer.statusCode() == 302; hops++) {
            String location = answer.headers().firstValue("Location").orElseThrow();
            if (location.contains("/console/")) {
                return answer;
            }
            answer = open(location);
        }
        return answer;
    }

    @Test
    void aReleaseManagerSignsInThroughTheIdentityProviderAndTheServicesGetItsAccessToken() throws Exception {
        PROVIDER.roles.set(List.of("RELEASE_MANAGER"));
        HttpResponse<String> signedIn = signInThroughTheProvider();
        assertThat(signedIn.headers().firstValue("Location").orElseThrow()).endsWith("/console/rollouts");
        assertThat(PROVIDER.lastAuthorize.get()).contains("client_id=rollout-console").contains("response_type=code")
                .contains("scope=rollout").contains("state=");
        HttpResponse<String> rollouts = open("/console/rollouts");
        assertThat(rollouts.statusCode()).as(rollouts.body()).isEqualTo(200);
        assertThat(rollouts.body()).contains("alice").contains("RELEASE_MANAGER").contains("assistant 2.4");
        phaseEngine.verify(getRequestedFor(urlPathEqualTo("/api/rollouts"))
                .withHeader("Authorization", equalTo("Bearer " + PROVIDER.lastAccessToken.get())));
    }

    @Test
    void aPersonTheProviderKnowsButWithNoRoleOfTheConsoleIsToldWhyAndNotSignedIn() throws Exception {
        PROVIDER.roles.set(List.of("PILOT"));
        HttpResponse<String> answer = signInThroughTheProvider();
        assertThat(answer.headers().firstValue("Location").orElseThrow()).endsWith("/console/login?failed");
        assertThat(open("/console/login?failed").body()).contains("none of those roles");
        assertThat(open("/console/rollouts").statusCode()).as("not signed in").isEqualTo(302);
    }

    @Test
    void aPastedTokenOfTheProviderStillSignsInAndADevelopmentTokenDoesNot() throws Exception {
        PROVIDER.roles.set(List.of("VIEWER"));
        String csrf = ConsoleSignInTest.csrf(open("/console/login").body());
        HttpResponse<String> development = browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/console/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + csrf + "&token=dev-release-manager")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(development.statusCode()).as("no development tokens in JWT mode").isEqualTo(401);
        HttpResponse<String> pasted = browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/console/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + csrf + "&token=" + PROVIDER.accessToken("bob")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(pasted.statusCode()).as(pasted.body()).isEqualTo(302);
        assertThat(open("/console/rollouts").body()).contains("bob").contains("VIEWER");
    }

    /** An OAuth 2 provider that knows one person, alice, who is already signed in to it. */
    static final class IdentityProvider {

        final HttpServer server;
        final RSAKey key;
        final AtomicReference<List<String>> roles = new AtomicReference<>(List.of());
        final AtomicReference<String> lastAuthorize = new AtomicReference<>();
        final AtomicReference<String> lastAccessToken = new AtomicReference<>();
        final Map<String, String> codes = new HashMap<>();

        IdentityProvider() {
            try {
                key = new RSAKeyGenerator(2048).keyID("company-1").generate();
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            }
            catch (JOSEException | IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/authorize", this::authorize);
            server.createContext("/token", this::token);
            server.createContext("/userinfo", exchange -> answer(exchange, 200, "{\"sub\":\"alice\"}"));
            server.createContext("/jwks", exchange -> answer(exchange, 200, new JWKSet(key.toPublicJWK()).toString()));
            server.start();
        }

        String issuer() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        /** alice is signed in already: straight back to the client with a code. */
        void authorize(HttpExchange exchange) throws IOException {
            String query = exchange.getRequestURI().getRawQuery();
            lastAuthorize.set(URLDecoder.decode(query, StandardCharsets.UTF_8));
            Map<String, String> params = new HashMap<>();
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            String code;
            synchronized (codes) {
                code = "code-" + codes.size();
                codes.put(code, "alice");
            }
            exchange.getResponseHeaders().set("Location", params.get("redirect_uri") + "?code=" + code + "&state="
                    + URLEncoder.encode(params.get("state"), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        }

        void token(HttpExchange exchange) throws IOException {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String client = "Basic " + Base64.getEncoder().encodeToString("rollout-console:console-secret"
                    .getBytes(StandardCharsets.UTF_8));
            if (!client.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            String code = null;
            for (String pair : form.split("&")) {
                if (pair.startsWith("code=")) {
                    code = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                }
            }
            String person;
            synchronized (codes) {
                person = codes.remove(code);
            }
            if (person == null) {
                answer(exchange, 400, "{\"error\":\"invalid_grant\"}");
                return;
            }
            String token = accessToken(person);
            lastAccessToken.set(token);
            answer(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":300,"
                    + "\"scope\":\"rollout\"}");
        }

        String accessToken(String person) {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                        new JWTClaimsSet.Builder().issuer(issuer()).audience("rollout-platform").subject(person)
                                .claim("roles", roles.get()).issueTime(new Date())
                                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
                jwt.sign(new RSASSASigner(key));
                return jwt.serialize();
            }
            catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        static void answer(HttpExchange exchange, int status, String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
