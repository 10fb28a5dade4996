package dev.rollout.starter.security;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Pointcut;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.method.AuthorizationManagerBeforeMethodInterceptor;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Method security for {@code @PreAuthorize}: a plain role rule ({@link RoleRule}) is decided from the caller's
 * roles; any other expression goes to Spring Security's own interceptor, evaluated as before. The same pointcut and
 * order as Spring Security's, and the same refusal ({@link AuthorizationDeniedException}). Spring Security's
 * interceptor formats a debug message of every invocation whatever the log level (its commons-logging bridge renders
 * the message before the level is checked): on the agent path that and the evaluation were a sixth of a request.
 */
final class RoleRuleAdvisor implements PointcutAdvisor, MethodInterceptor, AopInfrastructureBean, Ordered {

    private static final Optional<RoleRule> EVALUATED = Optional.empty();

    private final AuthorizationManagerBeforeMethodInterceptor expressions =
            AuthorizationManagerBeforeMethodInterceptor.preAuthorize();
    private final Map<Method, Optional<RoleRule>> rules = new ConcurrentHashMap<>();

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Optional<RoleRule> rule = rules.computeIfAbsent(invocation.getMethod(), m -> rule(invocation));
        if (rule.isEmpty()) {
            return expressions.invoke(invocation);
        }
        if (!rule.get().allows(SecurityContextHolder.getContext().getAuthentication())) {
            throw new AuthorizationDeniedException("Access Denied", new AuthorizationDecision(false));
        }
        return invocation.proceed();
    }

    private static Optional<RoleRule> rule(MethodInvocation invocation) {
        Class<?> target = invocation.getThis() == null ? invocation.getMethod().getDeclaringClass()
                : AopUtils.getTargetClass(invocation.getThis());
        Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), target);
        PreAuthorize declared = AnnotatedElementUtils.findMergedAnnotation(method, PreAuthorize.class);
        if (declared == null) {
            declared = AnnotatedElementUtils.findMergedAnnotation(target, PreAuthorize.class);
        }
        return declared == null ? EVALUATED : RoleRule.of(declared.value());
    }

    @Override
    public Pointcut getPointcut() {
        return expressions.getPointcut();
    }

    @Override
    public Advice getAdvice() {
        return this;
    }

    @Override
    public int getOrder() {
        return expressions.getOrder();
    }
}
