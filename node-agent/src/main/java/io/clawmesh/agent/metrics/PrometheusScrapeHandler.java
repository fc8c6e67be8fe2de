package io.clawmesh.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.clawmesh.agent.web.JsonResponses;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /actuator/prometheus}: every meter of the agent in the Prometheus text format, open like health. */
final class PrometheusScrapeHandler implements HttpHandler {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    PrometheusScrapeHandler(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        // a HEAD request needs no scrape
        byte[] body = "HEAD".equals(exchange.getRequestMethod())
                ? new byte[0]
                : this.registry.scrape().getBytes(StandardCharsets.UTF_8);
        JsonResponses.write(exchange, 200, CONTENT_TYPE, body);
    }
}
