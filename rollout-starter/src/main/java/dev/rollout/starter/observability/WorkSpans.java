package dev.rollout.starter.observability;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * Spans for work that no request carries: a reconcile step, a rollback step run by a saga thread, perhaps on another
 * replica, long after the request that asked for it. The request's trace is kept as its W3C {@code traceparent}
 * ({@link #currentTraceparent()}) and the work continues it ({@link #inSpan}); the calls the work makes to other
 * services are spans of that trace too, since their clients pass the current span on.
 */
public final class WorkSpans {

    private final Tracer tracer;
    private final Propagator propagator;

    public WorkSpans(Tracer tracer, Propagator propagator) {
        this.tracer = tracer == null ? Tracer.NOOP : tracer;
        this.propagator = propagator == null ? Propagator.NOOP : propagator;
    }

    /** The current trace as a {@code traceparent} value, to keep with the work it asks for; null without one. */
    public String currentTraceparent() {
        TraceContext context = tracer.currentTraceContext().context();
        if (context == null) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(context, carrier, Map::put);
        return carrier.get("traceparent");
    }

    /**
     * Runs {@code work} in a span named {@code name} with {@code tags}: a child of {@code traceparent} where it is
     * given, the root of a trace of its own where it is null.
     */
    public <T> T inSpan(String name, String traceparent, Map<String, String> tags, Supplier<T> work) {
        Span.Builder builder = traceparent == null ? tracer.spanBuilder()
                : propagator.extract(Map.of("traceparent", traceparent), Map::get);
        builder.name(name);
        tags.forEach(builder::tag);
        Span span = builder.start();
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            return work.get();
        }
        catch (RuntimeException e) {
            span.error(e);
            throw e;
        }
        finally {
            span.end();
        }
    }
}
