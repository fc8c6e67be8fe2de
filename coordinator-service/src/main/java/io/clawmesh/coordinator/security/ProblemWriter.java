package io.clawmesh.coordinator.security;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.key.OpenAiError;
import io.clawmesh.common.problem.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a problem body from places outside Spring MVC: servlet filters and security handlers. Under the
 * OpenAI-compatible API ({@code /v1/**}) the same error is written in OpenAI's shape instead ({@link OpenAiError}).
 */
@Component
public class ProblemWriter {

    private final JsonMapper json;

    public ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        if (isOpenAiPath(request.getRequestURI())) {
            response.setStatus(problem.getStatus());
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            this.json.writeValue(response.getOutputStream(), openAiError(problem));
            return;
        }
        problem.setInstance(URI.create(request.getRequestURI()));
        response.setStatus(problem.getStatus());
        response.setContentType(ApiPaths.PROBLEM_JSON);
        response.setCharacterEncoding("UTF-8");
        this.json.writeValue(response.getOutputStream(), problem);
    }

    /** Whether a request path belongs to the OpenAI-compatible API, whose errors have OpenAI's shape. */
    public static boolean isOpenAiPath(String path) {
        return path.equals(ApiPaths.OPENAI) || path.startsWith(ApiPaths.OPENAI + "/");
    }

    /** A problem in OpenAI's error shape: its detail is the message, its slug the code. */
    public static OpenAiError openAiError(ProblemDetail problem) {
        String slug = ProblemType.fromUri(
                        (problem.getType() != null) ? problem.getType().toString() : null)
                .map(ProblemType::slug)
                .orElse(ProblemType.forStatus(problem.getStatus()).slug());
        String message = (problem.getDetail() != null) ? problem.getDetail() : String.valueOf(problem.getTitle());
        return OpenAiError.of(problem.getStatus(), slug, message);
    }
}
