package dev.rollout.starter.testapp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The test service on a port known before it starts, and itself as the service {@code self}: so that a test can
 * call it through {@code ServiceClients} as one service calls another.
 */
public final class SelfCalls {

    private SelfCalls() {
    }

    /** A port free now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The service listens on {@code port} and is {@code rollout.services.urls.self} to its own clients. */
    public static void register(DynamicPropertyRegistry registry, int port) {
        registry.add("server.port", () -> port);
        registry.add("rollout.services.urls.self", () -> "http://127.0.0.1:" + port);
    }
}
