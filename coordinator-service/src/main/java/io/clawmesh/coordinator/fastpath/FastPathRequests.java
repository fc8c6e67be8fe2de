package io.clawmesh.coordinator.fastpath;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;

/**
 * What the fast paths ({@link RouteRequestFilter}, the front door's {@code ChatCompletionFilter}) check before they
 * take a request, so that they take only requests the general path would answer the way they do (ADR 0006).
 */
public final class FastPathRequests {

    private FastPathRequests() {}

    /** No control characters, which the firewall of the general path refuses in header values. */
    public static boolean printable(@Nullable String header) {
        if (header == null) {
            return true;
        }
        for (int i = 0; i < header.length(); i++) {
            if (Character.isISOControl(header.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether the body is JSON in UTF-8 (no charset means UTF-8 for JSON). */
    public static boolean isUtf8Json(@Nullable String contentType) {
        if (contentType == null) {
            return false;
        }
        if (MediaType.APPLICATION_JSON_VALUE.equalsIgnoreCase(contentType)) {
            return true; // what nearly every client sends: no parse, no allocation
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)
                    && (type.getCharset() == null || StandardCharsets.UTF_8.equals(type.getCharset()));
        } catch (IllegalArgumentException ex) { // an invalid media type or an unknown charset
            return false;
        }
    }

    /**
     * Whether the answer is JSON: the client accepts JSON and does not ask for {@code text/event-stream}, which the
     * general path answers as a stream (a wildcard alone is JSON there too).
     */
    public static boolean acceptsJson(@Nullable String accept) {
        if (accept == null
                || accept.isEmpty()
                || MediaType.ALL_VALUE.equals(accept)
                || MediaType.APPLICATION_JSON_VALUE.equalsIgnoreCase(accept)) {
            return true; // the common headers, without a parse
        }
        try {
            boolean json = false;
            for (MediaType type : MediaType.parseMediaTypes(accept)) {
                if (type.getQualityValue() > 0) {
                    if (MediaType.TEXT_EVENT_STREAM.equalsTypeAndSubtype(type)) {
                        return false;
                    }
                    json |= type.isCompatibleWith(MediaType.APPLICATION_JSON);
                }
            }
            return json;
        } catch (IllegalArgumentException ex) {
            return false;
        }
    }

    /**
     * The request with a body that a fast path has already read, for the general path to read again.
     *
     * @param body the bytes read; {@code null} when reading failed, and the general path reads what is left
     */
    public static HttpServletRequest withBody(HttpServletRequest request, byte @Nullable [] body) {
        if (body == null) {
            return request;
        }
        return new HttpServletRequestWrapper(request) {

            private final ByteArrayInputStream in = new ByteArrayInputStream(body);

            @Override
            public ServletInputStream getInputStream() {
                ByteArrayInputStream in = this.in;
                return new ServletInputStream() {

                    @Override
                    public int read() {
                        return in.read();
                    }

                    @Override
                    public int read(byte[] buffer, int off, int len) {
                        return in.read(buffer, off, len);
                    }

                    @Override
                    public boolean isFinished() {
                        return in.available() == 0;
                    }

                    @Override
                    public boolean isReady() {
                        return true;
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        throw new IllegalStateException("the body has been read already");
                    }
                };
            }

            @Override
            public BufferedReader getReader() {
                String encoding = getCharacterEncoding();
                Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.UTF_8;
                return new BufferedReader(new InputStreamReader(getInputStream(), charset));
            }
        };
    }
}
