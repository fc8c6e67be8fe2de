package io.clawmesh.agent.web;

import com.sun.net.httpserver.HttpExchange;
import io.clawmesh.common.api.ApiPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Writes JSON answers and problem answers onto an exchange, with an exact {@code Content-Length} (keep-alive). */
public class JsonResponses {

    private final JsonMapper json;

    public JsonResponses(JsonMapper json) {
        this.json = json;
    }

    /** Answers {@code status} with {@code body} as {@code application/json}. */
    public void send(HttpExchange exchange, int status, Object body) throws IOException {
        write(exchange, status, "application/json", this.json.writeValueAsBytes(body));
    }

    /** Answers {@code problem} as {@code application/problem+json}, its instance being the request path. */
    public void problem(HttpExchange exchange, Problem problem) throws IOException {
        for (Map.Entry<String, String> header : problem.headers().entrySet()) {
            exchange.getResponseHeaders().set(header.getKey(), header.getValue());
        }
        byte[] body = this.json.writeValueAsBytes(
                problem.body(exchange.getRequestURI().getRawPath()));
        write(exchange, problem.status(), ApiPaths.PROBLEM_JSON, body);
    }

    /** Writes a body of any type with its Content-Type and length; a HEAD request gets the headers only. */
    public static void write(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
