package dev.rollout.starter.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.rollout.starter.web.ProblemWriter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Deny by default: a controller method that declares no roles ({@code @PreAuthorize} on the method or
 * its class) is refused for everyone, so an endpoint added without a role rule is closed, not open.
 */
final class DeclaredRolesInterceptor implements HandlerInterceptor {

    private final ProblemWriter problems;

    DeclaredRolesInterceptor(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        if (!(handler instanceof HandlerMethod method) || !isApplicationController(method)) {
            return true;
        }
        if (AnnotatedElementUtils.hasAnnotation(method.getMethod(), PreAuthorize.class)
                || AnnotatedElementUtils.hasAnnotation(method.getBeanType(), PreAuthorize.class)) {
            return true;
        }
        problems.write(request, response, HttpStatus.FORBIDDEN,
                "This endpoint declares no roles and is closed to every caller");
        return false;
    }

    private static boolean isApplicationController(HandlerMethod method) {
        String name = method.getBeanType().getName();
        return !name.startsWith("org.springframework.") && !name.startsWith("org.springdoc.");
    }
}
