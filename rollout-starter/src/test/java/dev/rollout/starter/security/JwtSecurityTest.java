package dev.rollout.starter.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rollout.starter.test.Http;
import dev.rollout.starter.testapp.StarterTestApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = StarterTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JwtSecurityTest {

    static final String ISSUER = "https://id.example.org/realms/rollout";
    static final String AUDIENCE = "rollout-platform";
    static final KeyPair SIGNER = rsa();
    static final KeyPair STRANGER = rsa();

    @DynamicPropertySource
    static void publicKey(DynamicPropertyRegistry registry) throws Exception {
        Path pem = Files.createTempFile("rollout-jwt", ".pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(SIGNER.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        registry.add("rollout.security.mode", () -> "JWT");
        registry.add("rollout.security.jwt-public-key", () -> "file:" + pem);
        registry.add("rollout.security.jwt-issuer", () -> ISSUER);
        registry.add("rollout.security.jwt-audience", () -> AUDIENCE);
    }

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
    }

    @Test
    void acceptsASignedTokenAndTakesItsRolesFromTheRolesClaim() {
        String token = jwt(SIGNER, "ana", List.of("RELEASE_MANAGER"), Instant.now().plusSeconds(300));
        Http.Answer answer = http.get("/api/me", token);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"name\":\"ana\"").contains("ROLE_RELEASE_MANAGER");
        assertThat(http.post("/api/widgets", token, "{\"name\":\"a\",\"size\":1}").status()).isEqualTo(200);
    }

    @Test
    void refusesARoleTheTokenDoesNotCarry() {
        String token = jwt(SIGNER, "vic", List.of("VIEWER"), Instant.now().plusSeconds(300));
        assertThat(http.post("/api/widgets", token, "{\"name\":\"a\",\"size\":1}").status()).isEqualTo(403);
    }

    @Test
    void refusesAnExpiredToken() {
        String token = jwt(SIGNER, "ana", List.of("RELEASE_MANAGER"), Instant.now().minusSeconds(600));
        assertThat(http.get("/api/me", token).status()).isEqualTo(401);
    }

    @Test
    void refusesATokenSignedByAnotherKey() {
        String token = jwt(STRANGER, "ana", List.of("RELEASE_MANAGER"), Instant.now().plusSeconds(300));
        assertThat(http.get("/api/me", token).status()).isEqualTo(401);
    }

    @Test
    void refusesATokenOfAnotherIssuer() {
        String token = jwt(SIGNER, null, "https://evil.example.net", AUDIENCE, "ana", List.of("RELEASE_MANAGER"),
                Instant.now().plusSeconds(300));
        Http.Answer answer = http.get("/api/me", token);
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body()).contains("iss claim");
    }

    @Test
    void refusesATokenForAnotherAudience() {
        String token = jwt(SIGNER, null, ISSUER, "some-other-api", "ana", List.of("RELEASE_MANAGER"),
                Instant.now().plusSeconds(300));
        Http.Answer answer = http.get("/api/me", token);
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body()).contains("aud claim");
        assertThat(http.get("/api/me", jwt(SIGNER, null, ISSUER, null, "ana", List.of("RELEASE_MANAGER"),
                Instant.now().plusSeconds(300))).status()).isEqualTo(401);
    }

    @Test
    void refusesATokenWithoutExpiry() {
        String token = jwt(SIGNER, null, ISSUER, AUDIENCE, "ana", List.of("RELEASE_MANAGER"), null);
        Http.Answer answer = http.get("/api/me", token);
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body()).contains("exp claim");
    }

    @Test
    void refusesTheDevelopmentTokensInProduction() {
        assertThat(http.get("/api/me", "dev-release-manager").status()).isEqualTo(401);
    }

    static String jwt(KeyPair keys, String subject, List<String> roles, Instant expiry) {
        return jwt(keys, null, ISSUER, AUDIENCE, subject, roles, expiry);
    }

    static String jwt(KeyPair keys, String keyId, String issuer, String audience, String subject, List<String> roles,
            Instant expiry) {
        try {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject).claim("roles", roles)
                    .issuer(issuer).issueTime(Date.from(Instant.now().minusSeconds(60)));
            if (audience != null) {
                claims.audience(audience);
            }
            if (expiry != null) {
                claims.expirationTime(Date.from(expiry));
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), claims.build());
            jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
            return jwt.serialize();
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
