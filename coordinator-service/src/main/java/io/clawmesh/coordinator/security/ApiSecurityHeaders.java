package io.clawmesh.coordinator.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.writers.CacheControlHeadersWriter;
import org.springframework.security.web.header.writers.HstsHeaderWriter;
import org.springframework.security.web.header.writers.XContentTypeOptionsHeaderWriter;
import org.springframework.security.web.header.writers.XXssProtectionHeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter.XFrameOptionsMode;

/**
 * The security headers of every {@code /api/**} answer, in one place: the API security chain writes them, and so does
 * the routing fast path, which answers before that chain runs. They are Spring Security's defaults, made explicit.
 */
public final class ApiSecurityHeaders {

    private static final List<HeaderWriter> WRITERS = List.of(
            new CacheControlHeadersWriter(),
            new XContentTypeOptionsHeaderWriter(),
            new HstsHeaderWriter(),
            new XXssProtectionHeaderWriter(),
            new XFrameOptionsHeaderWriter(XFrameOptionsMode.DENY));

    private ApiSecurityHeaders() {}

    /** Writes the headers on an answer that does not pass through the API security chain. */
    public static void write(HttpServletRequest request, HttpServletResponse response) {
        for (HeaderWriter writer : WRITERS) {
            writer.writeHeaders(request, response);
        }
    }

    /** Makes the API security chain write exactly these headers and no others. */
    static void configure(HeadersConfigurer<?> headers) {
        headers.defaultsDisabled();
        WRITERS.forEach(headers::addHeaderWriter);
    }
}
