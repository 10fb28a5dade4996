package dev.rollout.starter.idempotency;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.rollout.starter.web.ProblemWriter;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.util.WebUtils;

/**
 * Claims a request's {@code Idempotency-Key} once its endpoint is known and the caller's role allowed it
 * (this interceptor is ordered after the role check): only then is the body read, for its fingerprint.
 */
final class IdempotencyInterceptor implements HandlerInterceptor {

    private final IdempotencyStore store;
    private final ProblemWriter problems;

    IdempotencyInterceptor(IdempotencyStore store, ProblemWriter problems) {
        this.store = store;
        this.problems = problems;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        IdempotencyFilter.Pending pending = (IdempotencyFilter.Pending) request.getAttribute(IdempotencyFilter.PENDING);
        IdempotencyFilter.KeyedRequest keyed = WebUtils.getNativeRequest(request, IdempotencyFilter.KeyedRequest.class);
        if (pending == null || pending.claimed || keyed == null) {
            return true;
        }
        SpooledBody body = keyed.spool();
        String path = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        String key = pending.key;
        IdempotencyStore.Claim claim = store.claim(pending.principal, key, body.fingerprint(), request.getMethod(), path);
        if (claim instanceof IdempotencyStore.Mismatch mismatch) {
            problems.write(response, problem(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key '" + key
                    + "' was first used for another request (" + mismatch.method() + " " + mismatch.path()
                    + " with another body); use a new key for a new request", key));
            return false;
        }
        if (claim instanceof IdempotencyStore.InFlight inFlight) {
            response.setHeader("Retry-After", "1");
            problems.write(response, problem(HttpStatus.CONFLICT, "A request with Idempotency-Key '" + key
                    + "' is still being processed (since " + inFlight.since() + "); retry when it has finished", key));
            return false;
        }
        if (claim instanceof IdempotencyStore.Replay replay) {
            replay(response, replay);
            return false;
        }
        pending.claimed = true;
        return true;
    }

    private static void replay(HttpServletResponse response, IdempotencyStore.Replay replay) throws IOException {
        response.setStatus(replay.status());
        response.setHeader(IdempotencyFilter.REPLAYED, "true");
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
}
