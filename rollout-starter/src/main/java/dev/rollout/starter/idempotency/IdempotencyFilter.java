package dev.rollout.starter.idempotency;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import dev.rollout.starter.web.ProblemWriter;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * {@code Idempotency-Key} on POST, PUT, PATCH and DELETE (as in the IETF httpapi draft and Stripe's API): the
 * first request with a key runs and its answer is kept; a retry with the same key and the same request gets
 * that answer again (header {@code Idempotency-Replayed: true}) without running anything; the same key with
 * another method, path or body is a 422; a retry while the first is still running is a 409. Keys belong to
 * the caller: two callers never see each other's answers. A 5xx, 401 or 403 is not kept, so a retry runs.
 *
 * <p>This filter only prepares the request and keeps the answer. The key is claimed by
 * {@link IdempotencyInterceptor}, which runs after the endpoint's roles were checked: a caller without the
 * role is refused before a byte of its body is read.
 */
public class IdempotencyFilter extends OncePerRequestFilter {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotency-Replayed";

    static final String PENDING = IdempotencyFilter.class.getName() + ".pending";

    private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final Set<Integer> NOT_KEPT = Set.of(401, 403, 408, 413, 429);

    private final IdempotencyStore store;
    private final ProblemWriter problems;

    public IdempotencyFilter(IdempotencyStore store, ProblemWriter problems) {
        this.store = store;
        this.problems = problems;
    }

    /** A keyed request on its way to the handler; {@code claimed} once the interceptor holds its key. */
    static final class Pending {
        final String principal;
        final String key;
        boolean claimed;

        Pending(String principal, String key) {
            this.principal = principal;
            this.key = key;
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getHeader(HEADER) == null || !METHODS.contains(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (!KEY.matcher(key).matches()) {
            problems.write(request, response, HttpStatus.BAD_REQUEST,
                    "Idempotency-Key must be 1 to 255 visible ASCII characters");
            return;
        }
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller == null || !caller.isAuthenticated()) {
            chain.doFilter(request, response); // refused further on; nothing to remember
            return;
        }
        Pending pending = new Pending(caller.getName(), key);
        request.setAttribute(PENDING, pending);
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        boolean kept = false;
        try (KeyedRequest keyed = new KeyedRequest(request)) {
            chain.doFilter(keyed, captured);
            int status = captured.getStatus();
            if (pending.claimed && status < 500 && !NOT_KEPT.contains(status)) {
                store.complete(pending.principal, key, status, captured.getContentType(),
                        captured.getHeader("Location"), new String(captured.getContentAsByteArray(), StandardCharsets.UTF_8));
                kept = true;
            }
        }
        finally {
            if (pending.claimed && !kept) {
                store.release(pending.principal, key);
            }
            captured.copyBodyToResponse();
        }
    }

    public static String fingerprint(String method, String path, byte[] body) {
        return SpooledBody.fingerprint(method, path, body);
    }

    /**
     * The request whose body is read only when the interceptor asks for it (after the role check), then served
     * again from the spool to the handler.
     */
    static final class KeyedRequest extends HttpServletRequestWrapper implements AutoCloseable {

        private SpooledBody body;
        private ServletInputStream replay;

        KeyedRequest(HttpServletRequest request) {
            super(request);
        }

        SpooledBody spool() throws IOException {
            if (body == null) {
                String path = getRequestURI() + (getQueryString() == null ? "" : "?" + getQueryString());
                body = SpooledBody.read(super.getInputStream(), getMethod(), path);
            }
            return body;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                return super.getInputStream();
            }
            if (replay == null) {
                replay = new ReplayStream(body.open());
            }
            return replay;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (body == null) {
                return super.getReader();
            }
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
        }

        @Override
        public int getContentLength() {
            long length = getContentLengthLong();
            return length > Integer.MAX_VALUE ? -1 : (int) length;
        }

        @Override
        public long getContentLengthLong() {
            if (body == null) {
                return super.getContentLengthLong();
            }
            try {
                return body.length();
            }
            catch (IOException e) {
                return -1;
            }
        }

        @Override
        public void close() throws IOException {
            if (replay != null) {
                replay.close();
            }
            if (body != null) {
                body.close();
            }
        }
    }

    private static final class ReplayStream extends ServletInputStream {

        private final InputStream in;
        private boolean finished;

        ReplayStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            finished = b < 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            finished = n < 0;
            return n;
        }

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            // the whole body is spooled: it is all available, and then all read
            try {
                listener.onDataAvailable();
                listener.onAllDataRead();
            }
            catch (IOException e) {
                listener.onError(e);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
