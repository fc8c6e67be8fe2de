package io.clawmesh.coordinator.fastpath;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.coordinator.forwarding.MessageForwarder;
import io.clawmesh.coordinator.security.ApiSecurityHeaders;
import io.clawmesh.coordinator.security.OperatorToken;
import io.clawmesh.coordinator.security.TokenAuthenticationFilter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The routing hot path: serves {@code POST /api/v1/route} and {@code POST /api/v1/route/{node}} straight on the servlet
 * API when the request is one it fully understands, so that a routed message does not pay for the security filter
 * chain and Spring MVC's dispatch (together about a third of the coordinator's CPU per message).
 * <p>
 * It takes a request only when all of this holds: the raw path is exactly one of the two routes with a node segment
 * made of name characters; the bearer token is the operator token (compared in constant time); the body is JSON in
 * UTF-8; and the client accepts JSON and does not ask for {@code text/event-stream} (a streamed route is the
 * general path's); and the body has a {@code Content-Length} within {@code mesh.security.max-body-size} (a chunked or
 * oversize body takes the general path, where the body-size limit answers). Everything else, a missing or wrong token
 * included, goes down the filter chain
 * unchanged to the security chain and {@code RouteController}, which answer exactly as they always did. Errors of the
 * requests it does take are answered by the application's own exception handlers (the {@code ProblemHandler}), and
 * successful answers carry the API chain's own security headers ({@link ApiSecurityHeaders}), so a client cannot tell
 * the two paths apart. Registered first, ahead of the HTTP server observation: the requests it takes are timed in
 * {@code http_server_requests} by {@link FastPathMeters} (one cached timer, the same series the observation writes),
 * and the requests it leaves go on to the observation and the body-size limit as before. Why it exists and what must
 * stay equal: ADR 0006; {@code mesh.routing.fast-path.enabled=false} switches it off.
 */
public class RouteRequestFilter extends OncePerRequestFilter {

    private static final String ROUTE_PREFIX = ApiPaths.ROUTE + "/";

    /**
     * A node id or name as the path segment of an explicit route; anything else (encoded characters, path parameters,
     * a segment of dots, which Spring Security's firewall refuses) takes the general path.
     */
    private static final Pattern NODE_SEGMENT = Pattern.compile("(?!\\.+$)[A-Za-z0-9._-]{1,63}");

    private final MessageForwarder forwarder;

    private final OperatorToken tokens;

    private final ObjectReader reader;

    private final ObjectWriter writer;

    private final HandlerExceptionResolver exceptionResolver;

    private final long maxBodyBytes;

    private final FastPathMeters meters;

    /**
     * @param maxBodyBytes {@code mesh.security.max-body-size}: a larger body is the general path's, which refuses it
     * @param registry where the requests this filter answers are timed ({@code http.server.requests})
     */
    public RouteRequestFilter(
            MessageForwarder forwarder,
            OperatorToken tokens,
            JsonMapper json,
            HandlerExceptionResolver exceptionResolver,
            long maxBodyBytes,
            MeterRegistry registry) {
        this.forwarder = forwarder;
        this.tokens = tokens;
        // resolved once: the mapper's readValue and writeValueAsBytes look the root type's (de)serializer up per call
        this.reader = json.readerFor(RouteRequest.class);
        this.writer = json.writerFor(RouteResponse.class);
        this.exceptionResolver = exceptionResolver;
        this.maxBodyBytes = maxBodyBytes;
        this.meters = new FastPathMeters(registry, HttpMethod.POST.name(), ApiPaths.ROUTE, ApiPaths.ROUTE_TO_NODE);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !HttpMethod.POST.matches(request.getMethod())
                || !request.getRequestURI()
                        .startsWith(ApiPaths.ROUTE, request.getContextPath().length());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String node = explicitNode(path);
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        String contentType = request.getContentType();
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        long length = request.getContentLengthLong();
        boolean takes = (path.equals(ApiPaths.ROUTE) || node != null)
                && length >= 0
                && length <= this.maxBodyBytes
                && FastPathRequests.printable(authorization)
                && FastPathRequests.printable(contentType)
                && FastPathRequests.printable(accept)
                && isOperator(authorization)
                && FastPathRequests.isUtf8Json(contentType)
                && FastPathRequests.acceptsJson(accept);
        if (!takes) {
            chain.doFilter(request, response);
            return;
        }
        boolean explicit = node != null;
        ApiSecurityHeaders.write(request, response);
        byte[] body;
        try {
            RouteRequest message = read(request);
            RouteResponse answer =
                    (node != null) ? this.forwarder.routeTo(node, message) : this.forwarder.route(message);
            body = this.writer.writeValueAsBytes(answer);
        } catch (Exception ex) {
            if (response.isCommitted()
                    || this.exceptionResolver.resolveException(request, response, null, ex) == null) {
                this.meters.failed(explicit, ex, start);
                if (ex instanceof IOException io) {
                    throw io;
                }
                throw new ServletException(ex);
            }
            this.meters.answered(explicit, response.getStatus(), start);
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
        } catch (IOException ex) {
            // The message was routed and logged; only the caller is gone.
            logger.debug("Could not write the answer of a routed message: the client has gone (" + ex + ")");
        }
        this.meters.answered(explicit, HttpServletResponse.SC_OK, start);
    }

    /** Reads the body as Spring MVC's JSON converter would, with the same exceptions for the same faults. */
    private RouteRequest read(HttpServletRequest request) throws IOException {
        byte[] body;
        try {
            body = request.getInputStream().readAllBytes();
        } catch (IOException ex) {
            throw new HttpMessageNotReadableException(
                    "I/O error while reading input message", ex, new ServletServerHttpRequest(request));
        }
        RouteRequest message = null;
        if (body.length > 0) {
            try {
                message = this.reader.readValue(body);
            } catch (JacksonException ex) {
                throw new HttpMessageNotReadableException(
                        "JSON parse error: " + ex.getOriginalMessage(), ex, new ServletServerHttpRequest(request));
            }
        }
        if (message == null) {
            throw new HttpMessageNotReadableException(
                    "Required request body is missing", new ServletServerHttpRequest(request));
        }
        return message;
    }

    private static @Nullable String explicitNode(String path) {
        if (!path.startsWith(ROUTE_PREFIX)) {
            return null;
        }
        String segment = path.substring(ROUTE_PREFIX.length());
        return NODE_SEGMENT.matcher(segment).matches() ? segment : null;
    }

    private boolean isOperator(@Nullable String authorization) {
        String token = TokenAuthenticationFilter.bearerToken(authorization);
        return token != null && this.tokens.isOperator(token);
    }
}
