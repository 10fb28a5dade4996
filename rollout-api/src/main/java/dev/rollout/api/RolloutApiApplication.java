package dev.rollout.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The public edge: authenticates every request, routes {@code /api/**} and {@code /agent/v1/**} to the
 * service that owns it (Spring Cloud Gateway, server-webmvc), and shows one Swagger UI for all six APIs.
 * Role rules live with each endpoint in its service; the caller's token travels with the request.
 */
@SpringBootApplication
public class RolloutApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(RolloutApiApplication.class, args);
    }
}
