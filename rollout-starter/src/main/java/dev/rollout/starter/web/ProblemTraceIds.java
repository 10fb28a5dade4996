package dev.rollout.starter.web;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/** Every problem a controller or an exception handler answers carries the request's {@code traceId}. */
@ControllerAdvice
final class ProblemTraceIds implements ResponseBodyAdvice<Object> {

    private final TraceIds traceIds;

    ProblemTraceIds(TraceIds traceIds) {
        this.traceIds = traceIds;
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
            Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request, ServerHttpResponse response) {
        if (body instanceof ProblemDetail problem) {
            ProblemWriter.traceId(problem, traceIds);
        }
        return body;
    }
}
