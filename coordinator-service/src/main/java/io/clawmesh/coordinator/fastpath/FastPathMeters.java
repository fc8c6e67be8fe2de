package io.clawmesh.coordinator.fastpath;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;

/**
 * Times the requests a fast path answers in the series the HTTP server observation writes for the general path,
 * {@code http_server_requests_seconds}, with the same tags ({@code method}, {@code uri}, {@code status},
 * {@code outcome}, {@code exception}, {@code error}), so dashboards and alerts see one series whichever path answered.
 * The answers that matter for throughput (200 on one of two path patterns) use timers looked up once; any other status
 * is looked up per request, as the observation would. What it does not do, unlike the observation: the
 * {@code http_server_requests_active_seconds} long-task timer and tracing, which cost more than the rest of the
 * request's metrics together (issue 19).
 */
final class FastPathMeters {

    static final String NAME = "http.server.requests";

    private static final String NONE = "none";

    private final MeterRegistry registry;

    private final String method;

    private final String pattern;

    private final String explicitPattern;

    private final Timer ok;

    private final Timer explicitOk;

    /**
     * @param pattern the path pattern of requests without a node segment (the {@code uri} tag)
     * @param explicitPattern the path pattern of requests that name a node
     */
    FastPathMeters(MeterRegistry registry, String method, String pattern, String explicitPattern) {
        this.registry = registry;
        this.method = method;
        this.pattern = pattern;
        this.explicitPattern = explicitPattern;
        this.ok = timer(pattern, 200, NONE);
        this.explicitOk = timer(explicitPattern, 200, NONE);
    }

    /** A request answered with {@code status} (written by the fast path or by the application's error handlers). */
    void answered(boolean explicit, int status, long startNanos) {
        Timer timer = (status == 200)
                ? (explicit ? this.explicitOk : this.ok)
                : timer(explicit ? this.explicitPattern : this.pattern, status, NONE);
        timer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** A request whose exception no handler answered: the container answers 500. */
    void failed(boolean explicit, Throwable error, long startNanos) {
        String name = error.getClass().getSimpleName();
        timer(
                        explicit ? this.explicitPattern : this.pattern,
                        500,
                        name.isEmpty() ? error.getClass().getName() : name)
                .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String uri, int status, String exception) {
        return Timer.builder(NAME)
                .tag("method", this.method)
                .tag("uri", uri)
                .tag("status", Integer.toString(status))
                .tag("outcome", outcome(status))
                .tag("exception", exception)
                .tag("error", exception)
                .register(this.registry);
    }

    /** As Spring's observation convention names the status's class. */
    static String outcome(int status) {
        HttpStatus.Series series = HttpStatus.Series.resolve(status);
        if (series == null) {
            return "UNKNOWN";
        }
        return switch (series) {
            case INFORMATIONAL -> "INFORMATIONAL";
            case SUCCESSFUL -> "SUCCESS";
            case REDIRECTION -> "REDIRECTION";
            case CLIENT_ERROR -> "CLIENT_ERROR";
            case SERVER_ERROR -> "SERVER_ERROR";
        };
    }
}
