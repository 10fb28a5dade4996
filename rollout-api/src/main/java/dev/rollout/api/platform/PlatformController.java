package dev.rollout.api.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.rollout.starter.client.ServiceClientProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Platform", description = "The services behind the edge and whether they are ready")
class PlatformController {

    record ServiceStatus(String service, String url, boolean ready, long millis) {
    }

    private final ServiceClientProperties services;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    PlatformController(ServiceClientProperties services) {
        this.services = services;
    }

    @GetMapping("/api/platform/services")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER')")
    @Operation(summary = "Readiness of every service behind the edge",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER. The services' internal addresses only "
                    + "for RELEASE_MANAGER and ON_CALL, who operate the platform.")
    List<ServiceStatus> services(Authentication caller) {
        boolean operator = caller.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .anyMatch(a -> a.equals("ROLE_RELEASE_MANAGER") || a.equals("ROLE_ON_CALL"));
        List<CompletableFuture<ServiceStatus>> checks = services.urls().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).map(e -> check(e.getKey(), e.getValue())).toList();
        return checks.stream().map(CompletableFuture::join)
                .map(s -> operator ? s : new ServiceStatus(s.service(), null, s.ready(), s.millis())).toList();
    }

    private CompletableFuture<ServiceStatus> check(String name, String url) {
        long start = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(r -> r.statusCode() == 200)
                .exceptionally(e -> false)
                .thenApply(ready -> new ServiceStatus(name, url, ready, (System.nanoTime() - start) / 1_000_000));
    }
}
