package io.clawmesh.agent.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies at 1 MiB, declared or chunked: reading past the limit (or a body whose declared length is over
 * it) throws {@link RequestTooLargeException}, which becomes a 413 problem. The body is never buffered here.
 */
@Component
public class RequestSizeLimitFilter extends OncePerRequestFilter {

    /** The largest accepted request body: 1 MiB. */
    public static final long MAX_BODY_BYTES = 1024 * 1024;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new LimitedRequest(request, MAX_BODY_BYTES), response);
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long limit;

        private LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            return new LimitedInputStream(super.getInputStream(), getContentLengthLong(), this.limit);
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream delegate;

        private final long declaredLength;

        private final long limit;

        private long read;

        private LimitedInputStream(ServletInputStream delegate, long declaredLength, long limit) {
            this.delegate = delegate;
            this.declaredLength = declaredLength;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            checkDeclared();
            int value = this.delegate.read();
            if (value >= 0) {
                count(1);
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            checkDeclared();
            int count = this.delegate.read(buffer, offset, length);
            if (count > 0) {
                count(count);
            }
            return count;
        }

        private void checkDeclared() throws RequestTooLargeException {
            if (this.declaredLength > this.limit) {
                throw new RequestTooLargeException(this.limit);
            }
        }

        private void count(int bytes) throws RequestTooLargeException {
            this.read += bytes;
            if (this.read > this.limit) {
                throw new RequestTooLargeException(this.limit);
            }
        }

        @Override
        public boolean isFinished() {
            return this.delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return this.delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            this.delegate.setReadListener(listener);
        }
    }
}
