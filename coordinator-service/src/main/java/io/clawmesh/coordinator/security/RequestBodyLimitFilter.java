package io.clawmesh.coordinator.security;

import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over the limit with 413: at once when {@code Content-Length} says so, and while reading when a
 * chunked body grows past it. Registered first, before security, so an oversize body costs nothing.
 */
public class RequestBodyLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;

    private final ProblemWriter problems;

    public RequestBodyLimitFilter(long maxBytes, ProblemWriter problems) {
        this.maxBytes = maxBytes;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > this.maxBytes) {
            this.problems.write(
                    request,
                    response,
                    Problems.of(
                            ProblemType.PAYLOAD_TOO_LARGE,
                            "the request body is " + request.getContentLengthLong() + " bytes; the limit is "
                                    + this.maxBytes + " bytes (mesh.security.max-body-size)"));
            return;
        }
        chain.doFilter(new LimitedRequest(request, this.maxBytes), response);
    }

    /** Thrown while reading a body that grew past the limit; the error handler answers 413. */
    public static class PayloadTooLargeException extends IOException {

        public PayloadTooLargeException(long maxBytes) {
            super("the request body is larger than the limit of " + maxBytes + " bytes (mesh.security.max-body-size)");
        }
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long maxBytes;

        LimitedRequest(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            long limit = this.maxBytes;
            return new ServletInputStream() {

                private long read;

                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b >= 0) {
                        count(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws IOException {
                    int n = in.read(buffer, off, len);
                    if (n > 0) {
                        count(n);
                    }
                    return n;
                }

                private void count(int n) throws PayloadTooLargeException {
                    this.read += n;
                    if (this.read > limit) {
                        throw new PayloadTooLargeException(limit);
                    }
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }
}
