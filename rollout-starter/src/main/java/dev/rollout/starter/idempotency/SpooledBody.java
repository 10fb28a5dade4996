package dev.rollout.starter.idempotency;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A request body read once, for its fingerprint, and served again to the handler. The first MiB stays in
 * memory; the rest goes to a temporary file, so a large body with an Idempotency-Key never fills the heap
 * (its size is capped by the path's upload limit, enforced while it is read).
 */
final class SpooledBody implements Closeable {

    static final int IN_MEMORY = 1 << 20;

    private final byte[] head;
    private final Path rest;
    private final String fingerprint;

    private SpooledBody(byte[] head, Path rest, String fingerprint) {
        this.head = head;
        this.rest = rest;
        this.fingerprint = fingerprint;
    }

    /** Reads the whole body; the fingerprint covers the method, the path with its query, and every byte. */
    static SpooledBody read(InputStream in, String method, String path) throws IOException {
        MessageDigest sha = sha256();
        sha.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] head = in.readNBytes(IN_MEMORY);
        sha.update(head);
        Path rest = null;
        if (head.length == IN_MEMORY) {
            rest = Files.createTempFile("idempotent-body-", ".bin");
            try (OutputStream out = Files.newOutputStream(rest)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0;) {
                    sha.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            catch (IOException | RuntimeException e) {
                Files.deleteIfExists(rest);
                throw e;
            }
        }
        return new SpooledBody(head, rest, HexFormat.of().formatHex(sha.digest()));
    }

    static String fingerprint(String method, String path, byte[] body) {
        MessageDigest sha = sha256();
        sha.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
        sha.update(body);
        return HexFormat.of().formatHex(sha.digest());
    }

    String fingerprint() {
        return fingerprint;
    }

    long length() throws IOException {
        return head.length + (rest == null ? 0 : Files.size(rest));
    }

    InputStream open() throws IOException {
        InputStream first = new ByteArrayInputStream(head);
        return rest == null ? first : new SequenceInputStream(first, Files.newInputStream(rest));
    }

    @Override
    public void close() throws IOException {
        if (rest != null) {
            Files.deleteIfExists(rest);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
