package dev.rollout.starter.web;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.util.AntPathMatcher;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a body larger than its path's limit with 413: at once when Content-Length says so, and while
 * reading when a chunked body grows past it.
 */
public final class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final RolloutWebProperties properties;
    private final ProblemWriter problems;
    private final AntPathMatcher paths = new AntPathMatcher();

    public RequestSizeLimitFilter(RolloutWebProperties properties, ProblemWriter problems) {
        this.properties = properties;
        this.problems = problems;
    }

    long limitFor(String path) {
        for (Map.Entry<String, DataSize> e : properties.uploadLimits().entrySet()) {
            if (paths.match(e.getKey(), path)) {
                return e.getValue().toBytes();
            }
        }
        return properties.maxRequestSize().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limitFor(request.getRequestURI());
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            problems.write(request, response, HttpStatus.CONTENT_TOO_LARGE,
                    "The request body of " + declared + " bytes exceeds the limit of " + limit + " bytes for this path");
            return;
        }
        try {
            chain.doFilter(declared >= 0 ? request : new LimitedRequest(request, limit), response);
        }
        catch (IOException | ServletException e) {
            if (!(rootCause(e) instanceof BodyTooLargeException)) {
                throw e;
            }
            if (!response.isCommitted()) {
                response.reset();
                problems.write(request, response, HttpStatus.CONTENT_TOO_LARGE,
                        "The request body exceeds the limit of " + limit + " bytes for this path");
            }
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** Thrown while reading a body that grows past its limit. */
    public static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long limit) {
            super("The request body exceeds the limit of " + limit + " bytes");
        }
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void count(int n) throws BodyTooLargeException {
                        read += n;
                        if (read > limit) {
                            throw new BodyTooLargeException(limit);
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
