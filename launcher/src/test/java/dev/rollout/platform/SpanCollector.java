package dev.rollout.platform;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

/**
 * An OTLP/HTTP receiver in memory: what the platform's services export ({@code POST /v1/traces}, protobuf), kept as
 * spans with the service that made each, for the tests to read.
 */
final class SpanCollector implements AutoCloseable {

    /** One span as exported: its trace, the service (resource {@code service.name}), its name and attributes. */
    record Received(String traceId, String service, String name, List<KeyValue> attributes) {

        String attribute(String key) {
            return attributes.stream().filter(a -> a.getKey().equals(key)).map(a -> a.getValue().getStringValue())
                    .findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Received> spans = new ConcurrentLinkedQueue<>();

    SpanCollector() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                receive(ExportTraceServiceRequest.parseFrom(body.readAllBytes()));
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            }
            catch (IOException | RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            }
            finally {
                exchange.close();
            }
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    List<Received> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    private void receive(ExportTraceServiceRequest request) {
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service = resource.getResource().getAttributesList().stream()
                    .filter(a -> a.getKey().equals("service.name")).map(a -> a.getValue().getStringValue()).findFirst()
                    .orElse("?");
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                scope.getSpansList().forEach(span -> spans.add(new Received(
                        HexFormat.of().formatHex(span.getTraceId().toByteArray()), service, span.getName(),
                        span.getAttributesList())));
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
