package io.clawmesh.coordinator.fastpath;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.task.TaskAccepted;
import io.clawmesh.common.task.TaskRequest;
import io.clawmesh.coordinator.security.ApiSecurityHeaders;
import io.clawmesh.coordinator.security.OperatorToken;
import io.clawmesh.coordinator.security.TokenAuthenticationFilter;
import io.clawmesh.coordinator.tasks.TaskBoard;
import io.clawmesh.coordinator.tasks.TaskEventStreams;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Enumeration;
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
 * The task hot path: serves an operator's {@code POST /api/v1/tasks} and {@code GET /api/v1/tasks/{id}/events} straight
 * on the servlet API, so that a task does not pay twice for the security filter chain, Spring MVC's dispatch and the
 * HTTP server observation (about a third of the coordinator's CPU per task, ADR 0017). It takes a request only when
 * it can answer exactly as {@code TaskController} would: no query string; the bearer token is the operator token
 * (compared in constant time); header values without control characters and at most one {@code Idempotency-Key} or
 * {@code Last-Event-ID}; for a submission, a JSON body in UTF-8 with a {@code Content-Length} within
 * {@code mesh.security.max-body-size} and a client that accepts JSON; for a stream, a task id of the form this
 * coordinator issues. Everything else goes down the filter chain unchanged. Errors are answered by the application's
 * own exception handlers, successful answers carry the API chain's security headers, and the answers are timed in
 * {@code http_server_requests} with the controller's path patterns. {@code mesh.routing.fast-path.enabled=false}
 * switches it off with the other fast paths.
 */
public class TaskRequestFilter extends OncePerRequestFilter {

    private static final String EVENTS_SUFFIX = "/events";

    /** {@code /api/v1/tasks/{id}/events} with an id of the form {@code TaskBoard} issues. */
    private static final Pattern EVENTS_PATH =
            Pattern.compile(Pattern.quote(ApiPaths.TASKS + "/") + "task-[0-9a-f]{20}" + Pattern.quote(EVENTS_SUFFIX));

    private final TaskBoard board;

    private final TaskEventStreams streams;

    private final OperatorToken tokens;

    private final ObjectReader reader;

    private final ObjectWriter writer;

    private final HandlerExceptionResolver exceptionResolver;

    private final long maxBodyBytes;

    private final FastPathMeters submissions;

    private final FastPathMeters streamMeters;

    /**
     * @param maxBodyBytes {@code mesh.security.max-body-size}: a larger body is the general path's, which refuses it
     * @param registry where the requests this filter answers are timed ({@code http.server.requests})
     */
    public TaskRequestFilter(
            TaskBoard board,
            TaskEventStreams streams,
            OperatorToken tokens,
            JsonMapper json,
            HandlerExceptionResolver exceptionResolver,
            long maxBodyBytes,
            MeterRegistry registry) {
        this.board = board;
        this.streams = streams;
        this.tokens = tokens;
        this.reader = json.readerFor(TaskRequest.class);
        this.writer = json.writerFor(TaskAccepted.class);
        this.exceptionResolver = exceptionResolver;
        this.maxBodyBytes = maxBodyBytes;
        this.submissions = new FastPathMeters(registry, HttpMethod.POST.name(), ApiPaths.TASKS, ApiPaths.TASKS);
        this.streamMeters =
                new FastPathMeters(registry, HttpMethod.GET.name(), ApiPaths.TASK_EVENTS, ApiPaths.TASK_EVENTS);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI()
                .startsWith(ApiPaths.TASKS, request.getContextPath().length());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String method = request.getMethod();
        boolean submission = HttpMethod.POST.matches(method) && path.equals(ApiPaths.TASKS);
        boolean stream =
                HttpMethod.GET.matches(method) && EVENTS_PATH.matcher(path).matches();
        if (!(submission || stream)
                || request.getQueryString() != null
                || !isOperator(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            chain.doFilter(request, response);
            return;
        }
        if (submission) {
            submit(request, response, chain, start);
        } else {
            stream(request, response, chain, path, start);
        }
    }

    private void submit(HttpServletRequest request, HttpServletResponse response, FilterChain chain, long start)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        long length = request.getContentLengthLong();
        String key = single(request, ApiPaths.IDEMPOTENCY_KEY_HEADER);
        boolean takes = length >= 0
                && length <= this.maxBodyBytes
                && key != null
                && FastPathRequests.printable(contentType)
                && FastPathRequests.printable(accept)
                && FastPathRequests.isUtf8Json(contentType)
                && FastPathRequests.acceptsJson(accept);
        if (!takes) {
            chain.doFilter(request, response);
            return;
        }
        ApiSecurityHeaders.write(request, response);
        byte[] body;
        int status;
        String location;
        try {
            TaskBoard.Submitted submitted = this.board.submit(read(request), key.isEmpty() ? null : key, null);
            TaskAccepted accepted = submitted.task().accepted();
            status = submitted.created() ? HttpServletResponse.SC_ACCEPTED : HttpServletResponse.SC_OK;
            location = URI.create(accepted.links().self()).toASCIIString();
            body = this.writer.writeValueAsBytes(accepted);
        } catch (Exception ex) {
            resolve(request, response, ex, this.submissions, start);
            return;
        }
        response.setStatus(status);
        response.setHeader(HttpHeaders.LOCATION, location);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
        } catch (IOException ex) {
            // the task is queued; only the caller is gone (it may ask again with its Idempotency-Key)
            logger.debug("Could not write the answer of a task submission: the client has gone (" + ex + ")");
        }
        this.submissions.answered(false, status, start);
    }

    private void stream(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain, String path, long start)
            throws ServletException, IOException {
        String lastEventId = single(request, "Last-Event-ID");
        if (lastEventId == null) {
            chain.doFilter(request, response);
            return;
        }
        String id = path.substring(ApiPaths.TASKS.length() + 1, path.length() - EVENTS_SUFFIX.length());
        HeadersOnCommit answer = new HeadersOnCommit(request, response);
        try {
            this.streams.serve(id, lastEventId.isEmpty() ? null : lastEventId, answer);
        } catch (Exception ex) {
            answer.securityHeaders();
            resolve(request, response, ex, this.streamMeters, start);
            return;
        }
        answer.securityHeaders();
        this.streamMeters.answered(false, response.getStatus(), start);
    }

    private void resolve(
            HttpServletRequest request, HttpServletResponse response, Exception ex, FastPathMeters meters, long start)
            throws ServletException, IOException {
        if (response.isCommitted() || this.exceptionResolver.resolveException(request, response, null, ex) == null) {
            meters.failed(false, ex, start);
            if (ex instanceof IOException io) {
                throw io;
            }
            throw new ServletException(ex);
        }
        meters.answered(false, response.getStatus(), start);
    }

    /** Reads the body as Spring MVC's JSON converter would, with the same exceptions for the same faults. */
    private TaskRequest read(HttpServletRequest request) throws IOException {
        byte[] body;
        try {
            body = request.getInputStream().readAllBytes();
        } catch (IOException ex) {
            throw new HttpMessageNotReadableException(
                    "I/O error while reading input message", ex, new ServletServerHttpRequest(request));
        }
        TaskRequest task = null;
        if (body.length > 0) {
            try {
                task = this.reader.readValue(body);
            } catch (JacksonException ex) {
                throw new HttpMessageNotReadableException(
                        "JSON parse error: " + ex.getOriginalMessage(), ex, new ServletServerHttpRequest(request));
            }
        }
        if (task == null) {
            throw new HttpMessageNotReadableException(
                    "Required request body is missing", new ServletServerHttpRequest(request));
        }
        return task;
    }

    /**
     * The one value of an optional header: {@code ""} when it is absent, {@code null} when the request is not this
     * path's to take (the header is repeated, which Spring MVC joins, or holds a control character).
     */
    private static @Nullable String single(HttpServletRequest request, String name) {
        Enumeration<String> values = request.getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return "";
        }
        String value = values.nextElement();
        if (values.hasMoreElements() || value.isEmpty() || !FastPathRequests.printable(value)) {
            return null;
        }
        return value;
    }

    /**
     * Writes the security headers when the body starts, as the API chain's header filter does: the stream's own
     * {@code Cache-Control} is set by then, and Spring Security's cache headers are written only where none is.
     */
    private static final class HeadersOnCommit extends HttpServletResponseWrapper {

        private final HttpServletRequest request;

        private boolean written;

        HeadersOnCommit(HttpServletRequest request, HttpServletResponse response) {
            super(response);
            this.request = request;
        }

        void securityHeaders() {
            if (!this.written) {
                this.written = true;
                ApiSecurityHeaders.write(this.request, (HttpServletResponse) getResponse());
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            securityHeaders();
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            securityHeaders();
            return super.getWriter();
        }

        @Override
        public void flushBuffer() throws IOException {
            securityHeaders();
            super.flushBuffer();
        }
    }

    private boolean isOperator(@Nullable String authorization) {
        String token = TokenAuthenticationFilter.bearerToken(authorization);
        return token != null && FastPathRequests.printable(authorization) && this.tokens.isOperator(token);
    }
}
