package dev.rollout.starter.testapp;

import java.net.ConnectException;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import dev.rollout.starter.web.ProblemException;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.ResourceAccessException;

/** A minimal service that exercises the starter as a real service would. */
@SpringBootApplication
public class StarterTestApplication {

    record Widget(@NotBlank String name, @NotNull @Min(1) Integer size) {
    }

    record Caller(String name, List<String> roles) {
    }

    @RestController
    static class WidgetController {

        @PostMapping("/api/widgets")
        @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE')")
        Widget create(@Valid @RequestBody Widget widget) {
            return widget;
        }

        @GetMapping("/api/me")
        @PreAuthorize("isAuthenticated()")
        Caller me(Authentication authentication) {
            return new Caller(authentication.getName(),
                    authentication.getAuthorities().stream().map(Object::toString).toList());
        }

        @GetMapping("/api/widgets/{id}")
        @PreAuthorize("hasRole('VIEWER')")
        Widget find(@PathVariable long id) {
            throw ProblemException.notFound("Widget", id);
        }

        @GetMapping("/api/upstream")
        @PreAuthorize("hasRole('VIEWER')")
        String upstream() {
            throw new ResourceAccessException("I/O error on GET",
                    new ConnectException("Connection refused"));
        }

        @PostMapping("/api/contention")
        @PreAuthorize("hasRole('RELEASE_MANAGER')")
        String contention() {
            throw new PessimisticLockingFailureException("ERROR: deadlock detected");
        }

        @GetMapping("/api/undeclared")
        String undeclared() {
            return "should never be served";
        }
    }
}
