package io.clawmesh.agent.registration;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.support.HttpRequestWrapper;

/**
 * Sends the calls to the coordinator to the replica that answered last, and moves on to the next one in
 * {@code mesh.agent.coordinator-url} when it does not answer (refused, unreachable, timed out): several coordinators
 * on one database serve any call (SPEC §19), so a registration or heartbeat that failed on one is simply sent to the
 * next. An answer, even an error status, ends the call: only a coordinator that cannot be reached is skipped.
 */
class CoordinatorFailover implements ClientHttpRequestInterceptor {

    private static final Logger logger = LoggerFactory.getLogger(CoordinatorFailover.class);

    private final List<URI> coordinators;

    private final AtomicInteger current = new AtomicInteger();

    /**
     * @param coordinators the coordinators' base URLs; the client's own base URL is the first
     */
    CoordinatorFailover(List<String> coordinators) {
        this.coordinators = coordinators.stream().map(URI::create).toList();
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        int start = this.current.get();
        IOException failure = null;
        for (int i = 0; i < this.coordinators.size(); i++) {
            int index = (start + i) % this.coordinators.size();
            URI coordinator = this.coordinators.get(index);
            try {
                ClientHttpResponse response = execution.execute(to(request, coordinator), body);
                if (index != start && this.current.compareAndSet(start, index)) {
                    logger.warn(
                            "Coordinator {} did not answer ({}); now talking to {}",
                            this.coordinators.get(start),
                            (failure != null) ? failure.getMessage() : "?",
                            coordinator);
                }
                return response;
            } catch (IOException ex) {
                failure = ex;
            }
        }
        throw failure;
    }

    /** The coordinator calls go to now. */
    URI current() {
        return this.coordinators.get(this.current.get());
    }

    /** The request with the first coordinator's scheme, host and port (and path prefix) replaced by another's. */
    private HttpRequest to(HttpRequest request, URI coordinator) {
        URI first = this.coordinators.getFirst();
        if (coordinator.equals(first)) {
            return request;
        }
        String uri = request.getURI().toString();
        String firstText = first.toString();
        URI target = uri.startsWith(firstText)
                ? URI.create(coordinator + uri.substring(firstText.length()))
                : request.getURI();
        return new HttpRequestWrapper(request) {
            @Override
            public URI getURI() {
                return target;
            }
        };
    }
}
