package dev.rollout.starter.web;

import java.util.function.Supplier;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

/**
 * The trace id of the request being answered (W3C {@code traceparent}: the caller's, or one begun here), for problem
 * responses: what a user quotes and on-call searches the logs for (every log line carries it too). Null where no
 * tracer runs or no span is current.
 */
public final class TraceIds implements Supplier<String> {

    /** No tracing: problems carry no trace id. */
    public static final TraceIds NONE = new TraceIds(null);

    private final Tracer tracer;

    public TraceIds(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public String get() {
        Span span = tracer == null ? null : tracer.currentSpan();
        return span == null ? null : span.context().traceId();
    }
}
