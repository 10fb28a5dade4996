package dev.rollout.phaseengine.notification;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/** A webhook receiver on loopback that keeps what it gets; it can fail the first requests on purpose. */
final class Receiver implements AutoCloseable {

    record Received(String body, String signature, String eventId, String eventType) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger failFirst = new AtomicInteger();
    private final HttpServer server;

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = failFirst.getAndDecrement() > 0 ? 500 : 204;
            if (status == 204) {
                received.add(new Received(body, exchange.getRequestHeaders().getFirst("Rollout-Signature"),
                        exchange.getRequestHeaders().getFirst("Rollout-Event-Id"),
                        exchange.getRequestHeaders().getFirst("Rollout-Event-Type")));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
