package dev.rollout.starter.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import dev.rollout.starter.test.Http;
import dev.rollout.starter.testapp.StarterTestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Keys from the identity provider's key set: a rotation takes effect without a restart. */
@SpringBootTest(classes = StarterTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JwkRotationTest {

    static final KeyPair OLD = JwtSecurityTest.rsa();
    static final KeyPair NEW = JwtSecurityTest.rsa();
    static final AtomicReference<String> KEYS = new AtomicReference<>(keySet("old", OLD));
    static final HttpServer IDENTITY_PROVIDER = start();

    @DynamicPropertySource
    static void keySetUri(DynamicPropertyRegistry registry) {
        registry.add("rollout.security.mode", () -> "JWT");
        registry.add("rollout.security.jwk-set-uri",
                () -> "http://127.0.0.1:" + IDENTITY_PROVIDER.getAddress().getPort() + "/protocol/openid-connect/certs");
        registry.add("rollout.security.jwt-issuer", () -> JwtSecurityTest.ISSUER);
        registry.add("rollout.security.jwt-audience", () -> JwtSecurityTest.AUDIENCE);
    }

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
    }

    @AfterAll
    static void stop() {
        IDENTITY_PROVIDER.stop(0);
    }

    @Test
    void aRotatedKeyIsTakenWithoutRestartAndTheRetiredKeyIsRefused() {
        String before = token("old", OLD);
        assertThat(http.get("/api/me", before).status()).isEqualTo(200);

        KEYS.set(keySet("new", NEW)); // the identity provider rotates: the old key is retired
        assertThat(http.get("/api/me", token("new", NEW)).status()).isEqualTo(200);
        assertThat(http.get("/api/me", token("old", OLD)).status()).isEqualTo(401);
        assertThat(http.get("/api/me", before).status()).isEqualTo(401);
    }

    static String token(String keyId, KeyPair keys) {
        return JwtSecurityTest.jwt(keys, keyId, JwtSecurityTest.ISSUER, JwtSecurityTest.AUDIENCE, "ana",
                List.of("RELEASE_MANAGER"), Instant.now().plusSeconds(300));
    }

    static String keySet(String keyId, KeyPair keys) {
        return new JWKSet(new RSAKey.Builder((RSAPublicKey) keys.getPublic()).keyID(keyId).build()).toString();
    }

    static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/protocol/openid-connect/certs", exchange -> {
                byte[] body = KEYS.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
