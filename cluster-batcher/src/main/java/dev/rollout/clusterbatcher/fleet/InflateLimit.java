package dev.rollout.clusterbatcher.fleet;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

import dev.rollout.starter.web.ProblemException;
import org.springframework.http.HttpStatus;

/**
 * A gzip body inflated with a bound on its expansion (as Envoy's decompressor bounds its inflate ratio): past
 * the first {@value #FREE_BYTES} bytes, the text may be at most {@value #MAX_RATIO} times what arrived
 * compressed. A fleet file compresses some 5 to 10 times; a gzip bomb (a few hundred KB that inflate to
 * gigabytes of one repeated byte) is refused with a 413 after a few megabytes instead of being parsed for ever.
 */
final class InflateLimit {

    static final long FREE_BYTES = 16L * 1024 * 1024;
    static final int MAX_RATIO = 100;

    private InflateLimit() {
    }

    static InputStream gunzip(InputStream compressed) throws IOException {
        Counting counted = new Counting(compressed);
        return new Bounded(new GZIPInputStream(counted, 1 << 16), counted);
    }

    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    private static final class Bounded extends FilterInputStream {
        private final Counting compressed;
        private long inflated;

        Bounded(InputStream in, Counting compressed) {
            super(in);
            this.compressed = compressed;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                check(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                check(n);
            }
            return n;
        }

        private void check(int n) {
            inflated += n;
            if (inflated > FREE_BYTES && inflated > MAX_RATIO * Math.max(1, compressed.count)) {
                throw new ProblemException(HttpStatus.CONTENT_TOO_LARGE, "The gzip body inflates more than " + MAX_RATIO
                        + " times (" + compressed.count + " bytes became more than " + inflated + "); a fleet file "
                        + "compresses some 5 to 10 times: send it plain or gzip it as it is");
            }
        }
    }
}
