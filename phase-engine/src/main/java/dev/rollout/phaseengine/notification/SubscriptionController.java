package dev.rollout.phaseengine.notification;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Subscriptions", description = "Webhooks for rollout events: signed, ordered, delivered at least once")
class SubscriptionController {

    record NewSubscription(@NotBlank @Size(max = 2000) String url, @Size(max = 20) List<@NotNull EventType> eventTypes,
            Subscriptions.Format format, @NotBlank @Size(min = 16, max = 200) String secret) {
    }

    /** A subscription as shown: the secret never leaves the service. */
    record SubscriptionView(UUID id, String url, List<String> eventTypes, Subscriptions.Format format, String createdBy,
            Instant createdAt, String signature) {
        static SubscriptionView of(Subscriptions.Subscription s) {
            return new SubscriptionView(s.id(), s.url(), s.eventTypes(), s.format(), s.createdBy(), s.createdAt(),
                    "header " + Dispatcher.SIGNATURE + ": t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\" with the secret>");
        }
    }

    private final Subscriptions subscriptions;

    SubscriptionController(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @PostMapping("/api/subscriptions")
    @PreAuthorize("hasRole('RELEASE_MANAGER')")
    @Operation(summary = "Subscribe a webhook to rollout events (all of them when eventTypes is empty)",
            description = "Role: RELEASE_MANAGER. Formats: GENERIC (JSON, schema rollout-event/v1) or SLACK (incoming "
                    + "webhook). The URL must pass the allow-list; loopback and private addresses are refused unless "
                    + "configured (422).")
    ResponseEntity<SubscriptionView> create(@Valid @RequestBody NewSubscription request, Authentication caller) {
        Subscriptions.Subscription created = subscriptions.create(request.url().strip(), request.eventTypes(),
                request.format() == null ? Subscriptions.Format.GENERIC : request.format(), request.secret(), caller.getName());
        return ResponseEntity.created(URI.create("/api/subscriptions/" + created.id())).body(SubscriptionView.of(created));
    }

    @GetMapping("/api/subscriptions")
    @PreAuthorize("hasRole('RELEASE_MANAGER')")
    @Operation(summary = "The active subscriptions", description = "Role: RELEASE_MANAGER")
    List<SubscriptionView> list() {
        return subscriptions.all().stream().map(SubscriptionView::of).toList();
    }

    @GetMapping("/api/subscriptions/{id}")
    @PreAuthorize("hasRole('RELEASE_MANAGER')")
    @Operation(summary = "One subscription", description = "Role: RELEASE_MANAGER")
    SubscriptionView find(@PathVariable UUID id) {
        return SubscriptionView.of(subscriptions.find(id));
    }

    @DeleteMapping("/api/subscriptions/{id}")
    @PreAuthorize("hasRole('RELEASE_MANAGER')")
    @Operation(summary = "Unsubscribe: pending deliveries are cancelled", description = "Role: RELEASE_MANAGER")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        subscriptions.deactivate(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/subscriptions/{id}/deliveries")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','ON_CALL')")
    @Operation(summary = "Every delivery to this subscription in event order: status, attempts, last error",
            description = "Roles: RELEASE_MANAGER, ON_CALL")
    List<Subscriptions.Delivery> deliveries(@PathVariable UUID id,
            @RequestParam(defaultValue = "1000") @Min(1) @Max(10_000) int limit) {
        return subscriptions.deliveries(id, limit);
    }
}
