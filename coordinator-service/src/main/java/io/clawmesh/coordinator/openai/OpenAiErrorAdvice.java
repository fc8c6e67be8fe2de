package io.clawmesh.coordinator.openai;

import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import io.clawmesh.coordinator.security.ProblemWriter;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Errors of the OpenAI-compatible API in OpenAI's shape, {@code {"error": {message, type, param, code}}}: the
 * problems every other handler builds (bad JSON, wrong types, no route, forwarding failures, unknown paths) are
 * rewritten under {@code /v1}, and this API's own exceptions get their problem types here.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class OpenAiErrorAdvice implements ResponseBodyAdvice<Object> {

    @ExceptionHandler
    ProblemDetail modelNotFound(ModelNotFoundException ex) {
        return Problems.of(ProblemType.MODEL_NOT_FOUND, ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail modelNotAllowed(ModelNotAllowedException ex) {
        return Problems.of(ProblemType.MODEL_NOT_ALLOWED, ex.getMessage());
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public @Nullable Object beforeBodyWrite(
            @Nullable Object body,
            MethodParameter returnType,
            MediaType selectedContentType,
            Class<? extends HttpMessageConverter<?>> selectedConverterType,
            ServerHttpRequest request,
            ServerHttpResponse response) {
        if (body instanceof ProblemDetail problem
                && ProblemWriter.isOpenAiPath(request.getURI().getPath())) {
            response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
            return ProblemWriter.openAiError(problem);
        }
        return body;
    }
}
