package dev.rollout.starter.idempotency;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
import org.springframework.http.ProblemDetail;
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
 */
public class IdempotencyFilter extends OncePerRequestFilter {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotency-Replayed";

    private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final Set<Integer> NOT_KEPT = Set.of(401, 403, 408, 429);

    private final IdempotencyStore store;
    private final ProblemWriter problems;

    public IdempotencyFilter(IdempotencyStore store, ProblemWriter problems) {
        this.store = store;
        this.problems = problems;
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
        byte[] body = request.getInputStream().readAllBytes();
        String path = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        String principal = caller.getName();
        IdempotencyStore.Claim claim = store.claim(principal, key, fingerprint(request.getMethod(), path, body),
                request.getMethod(), path);
        if (claim instanceof IdempotencyStore.Mismatch mismatch) {
            problems.write(response, problem(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key '" + key
                    + "' was first used for another request (" + mismatch.method() + " " + mismatch.path()
                    + " with another body); use a new key for a new request", key));
        }
        else if (claim instanceof IdempotencyStore.InFlight inFlight) {
            response.setHeader("Retry-After", "1");
            problems.write(response, problem(HttpStatus.CONFLICT, "A request with Idempotency-Key '" + key
                    + "' is still being processed (since " + inFlight.since() + "); retry when it has finished", key));
        }
        else if (claim instanceof IdempotencyStore.Replay replay) {
            replay(response, replay);
        }
        else {
            runFirst(request, response, chain, body, principal, key);
        }
    }

    private void runFirst(HttpServletRequest request, HttpServletResponse response, FilterChain chain, byte[] body,
            String principal, String key) throws IOException, ServletException {
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        boolean kept = false;
        try {
            chain.doFilter(new CachedBodyRequest(request, body), captured);
            int status = captured.getStatus();
            if (status < 500 && !NOT_KEPT.contains(status)) {
                store.complete(principal, key, status, captured.getContentType(), captured.getHeader("Location"),
                        new String(captured.getContentAsByteArray(), StandardCharsets.UTF_8));
                kept = true;
            }
        }
        finally {
            if (!kept) {
                store.release(principal, key);
            }
            captured.copyBodyToResponse();
        }
    }

    private static void replay(HttpServletResponse response, IdempotencyStore.Replay replay) throws IOException {
        response.setStatus(replay.status());
        response.setHeader(REPLAYED, "true");
        if (replay.contentType() != null) {
            response.setContentType(replay.contentType());
        }
        if (replay.location() != null) {
            response.setHeader("Location", replay.location());
        }
        if (replay.body() != null && !replay.body().isEmpty()) {
            byte[] bytes = replay.body().getBytes(StandardCharsets.UTF_8);
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }
    }

    private static ProblemDetail problem(HttpStatus status, String detail, String key) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setProperty("idempotencyKey", key);
        return problem;
    }

    public static String fingerprint(String method, String path, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request with its body read once, for the fingerprint, and served again to the handler. */
    private static final class CachedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    // the whole body is in memory: it is all available, and then all read
                    try {
                        listener.onDataAvailable();
                        listener.onAllDataRead();
                    }
                    catch (java.io.IOException e) {
                        listener.onError(e);
                    }
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
