package dev.rollout.starter.security;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.rollout.starter.web.ProblemWriter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.expression.ExpressionUtils;
import org.springframework.security.access.expression.method.DefaultMethodSecurityExpressionHandler;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.util.SimpleMethodInvocation;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Roles first, and deny by default. A controller method that declares no roles ({@code @PreAuthorize}
 * on the method or its class) is refused for everyone, so an endpoint added without a role rule is
 * closed, not open. A rule that does not depend on the arguments is checked here, before the body is
 * read or validated, so that a caller without the role learns nothing about the request's validity;
 * rules on arguments (a pilot acting as itself) are checked by method security when the arguments exist.
 */
final class DeclaredRolesInterceptor implements HandlerInterceptor {

    private final ProblemWriter problems;
    private final DefaultMethodSecurityExpressionHandler expressions = new DefaultMethodSecurityExpressionHandler();
    private final Map<Method, Rule> rules = new ConcurrentHashMap<>();

    /** The declared rule; checked early by its roles ({@code plain}) or by evaluating it ({@code early}). */
    private record Rule(PreAuthorize declared, RoleRule plain, Expression early) {
    }

    DeclaredRolesInterceptor(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        if (!(handler instanceof HandlerMethod method) || !isApplicationController(method)) {
            return true;
        }
        Rule rule = rules.computeIfAbsent(method.getMethod(), m -> rule(method));
        if (rule.declared() == null) {
            problems.write(request, response, HttpStatus.FORBIDDEN,
                    "This endpoint declares no roles and is closed to every caller");
            return false;
        }
        if (rule.plain() != null) {
            if (!rule.plain().allows(SecurityContextHolder.getContext().getAuthentication())) {
                refuse(request, response);
                return false;
            }
        }
        else if (rule.early() != null) {
            Authentication caller = SecurityContextHolder.getContext().getAuthentication();
            var context = expressions.createEvaluationContext(() -> caller,
                    new SimpleMethodInvocation(method.getBean(), method.getMethod()));
            if (!ExpressionUtils.evaluateAsBoolean(rule.early(), context)) {
                refuse(request, response);
                return false;
            }
        }
        return true;
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        problems.write(request, response, HttpStatus.FORBIDDEN, "The caller's role does not allow "
                + request.getMethod() + " " + request.getRequestURI());
    }

    private Rule rule(HandlerMethod method) {
        PreAuthorize declared = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), PreAuthorize.class);
        if (declared == null) {
            declared = AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), PreAuthorize.class);
        }
        if (declared == null) {
            return new Rule(null, null, null);
        }
        RoleRule plain = RoleRule.of(declared.value()).orElse(null);
        Expression early = plain != null || declared.value().contains("#") ? null
                : expressions.getExpressionParser().parseExpression(declared.value());
        return new Rule(declared, plain, early);
    }

    private static boolean isApplicationController(HandlerMethod method) {
        String name = method.getBeanType().getName();
        return !name.startsWith("org.springframework.") && !name.startsWith("org.springdoc.");
    }
}
