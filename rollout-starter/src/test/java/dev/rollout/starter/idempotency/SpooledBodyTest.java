package dev.rollout.starter.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** A keyed body beyond what stays in memory goes to disk, is fingerprinted whole and served again unchanged. */
class SpooledBodyTest {

    @Test
    void aBodyLargerThanTheMemoryPartIsSpooledFingerprintedWholeAndServedAgain() throws Exception {
        byte[] body = new byte[3 * SpooledBody.IN_MEMORY + 17];
        new Random(7).nextBytes(body);
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        long before;
        try (var files = Files.list(temp)) {
            before = files.filter(p -> p.getFileName().toString().startsWith("idempotent-body-")).count();
        }
        try (SpooledBody spooled = SpooledBody.read(new ByteArrayInputStream(body), "POST", "/api/rollouts/x/evidence")) {
            assertThat(spooled.fingerprint()).isEqualTo(SpooledBody.fingerprint("POST", "/api/rollouts/x/evidence", body));
            assertThat(spooled.length()).isEqualTo(body.length);
            try (InputStream again = spooled.open()) {
                assertThat(again.readAllBytes()).isEqualTo(body);
            }
        }
        try (var files = Files.list(temp)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("idempotent-body-")).count()).isEqualTo(before);
        }
    }

    @Test
    void anotherByteAnywhereIsAnotherFingerprint() throws Exception {
        byte[] body = new byte[SpooledBody.IN_MEMORY + 10];
        byte[] other = body.clone();
        other[other.length - 1] = 1;
        try (SpooledBody a = SpooledBody.read(new ByteArrayInputStream(body), "POST", "/p");
                SpooledBody b = SpooledBody.read(new ByteArrayInputStream(other), "POST", "/p")) {
            assertThat(a.fingerprint()).isNotEqualTo(b.fingerprint());
        }
    }
}
