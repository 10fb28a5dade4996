package dev.rollout.starter.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;

import dev.rollout.starter.idempotency.IdempotencyFilter;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.service.annotation.HttpExchange;

/**
 * The one place where calls between services get their resilience: every method of a service's contract (an
 * {@code @HttpExchange} interface) runs inside the service's circuit breaker, and, when it is idempotent (a GET, or a
 * call carrying an {@code Idempotency-Key}), inside its retry; both are configured under {@code resilience4j.*}. A
 * refusal (4xx) is an answer: it counts neither against the breaker nor for a retry. Whatever goes wrong comes out as
 * one exception, {@link ServiceCallFailed}, naming the service, the operation and the cause.
 */
final class ResilientCalls implements InvocationHandler {

    /** What one attempt gave: a value, or the service's refusal (kept out of the breaker's and the retry's sight). */
    private record Attempt(Object value, RestClientResponseException refusal) {
    }

    /** The contract's HTTP client, its breaker and its retry, made at the first call (when the service's URL is read). */
    private record Calls(Object target, CircuitBreaker breaker, Retry retry) {
    }

    private final String service;
    private final Supplier<Calls> make;
    private volatile Calls calls;

    private ResilientCalls(String service, Supplier<Calls> make) {
        this.service = service;
        this.make = make;
    }

    static <T> T around(String service, Class<T> contract, Supplier<T> target, Supplier<CircuitBreaker> breaker,
            Supplier<Retry> retry) {
        return contract.cast(Proxy.newProxyInstance(contract.getClassLoader(), new Class<?>[] { contract },
                new ResilientCalls(service, () -> new Calls(target.get(), breaker.get(), retry.get()))));
    }

    private Calls calls() {
        Calls made = calls;
        if (made == null) {
            synchronized (this) {
                if (calls == null) {
                    calls = make.get();
                }
                made = calls;
            }
        }
        return made;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> service + " " + method.getDeclaringClass().getSimpleName();
            };
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        method.trySetAccessible(); // a contract may be package-private to its consumer
        Calls calls;
        try {
            calls = calls();
        }
        catch (IllegalStateException e) { // no URL configured for the service
            throw new ServiceCallFailed(service, 0, e.getMessage(), e);
        }
        Supplier<Attempt> attempt = () -> {
            try {
                return new Attempt(method.invoke(calls.target(), args), null);
            }
            catch (InvocationTargetException e) {
                if (e.getCause() instanceof RestClientResponseException answer && answer.getStatusCode().is4xxClientError()) {
                    return new Attempt(null, answer);
                }
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            }
            catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        };
        Supplier<Attempt> guarded = idempotent(method) ? Retry.decorateSupplier(calls.retry(), attempt) : attempt;
        Attempt done;
        try {
            done = calls.breaker().executeSupplier(guarded);
        }
        catch (RestClientResponseException e) {
            throw new ServiceCallFailed(service, e.getStatusCode().value(), service + " answered " + e.getStatusCode().value()
                    + " to " + operation(method) + detail(e), e);
        }
        catch (CallNotPermittedException e) {
            throw new ServiceCallFailed(service, 0, service + " is failing; its circuit breaker is open", e);
        }
        catch (RuntimeException e) {
            throw new ServiceCallFailed(service, 0, service + " did not answer " + operation(method) + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + abbreviate(e.getMessage())), e);
        }
        if (done.refusal() != null) {
            RestClientResponseException e = done.refusal();
            throw new ServiceCallFailed(service, e.getStatusCode().value(), service + " refused " + operation(method)
                    + " with " + e.getStatusCode().value() + detail(e), e);
        }
        return done.value();
    }

    /** A GET, or a call that carries an Idempotency-Key: asking twice does it once. */
    static boolean idempotent(Method method) {
        if (exchange(method).method().equals("GET")) {
            return true;
        }
        for (Parameter parameter : method.getParameters()) {
            RequestHeader header = parameter.getAnnotation(RequestHeader.class);
            if (header != null && (IdempotencyFilter.HEADER.equalsIgnoreCase(header.value())
                    || IdempotencyFilter.HEADER.equalsIgnoreCase(header.name()))) {
                return true;
            }
        }
        return false;
    }

    /** The method's operation as its contract declares it: {@code POST /api/rollouts/{rolloutId}/evaluations}. */
    static String operation(Method method) {
        HttpExchange exchange = exchange(method);
        HttpExchange type = AnnotatedElementUtils.findMergedAnnotation(method.getDeclaringClass(), HttpExchange.class);
        return exchange.method() + " " + (type == null ? "" : type.url()) + exchange.url();
    }

    private static HttpExchange exchange(Method method) {
        HttpExchange exchange = AnnotatedElementUtils.findMergedAnnotation(method, HttpExchange.class);
        if (exchange == null) {
            throw new IllegalStateException(method + " declares no @HttpExchange");
        }
        return exchange;
    }

    private static String detail(RestClientResponseException e) {
        String body = e.getResponseBodyAsString();
        return body.isBlank() ? "" : ": " + abbreviate(body);
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 297) + "...";
    }
}
