package io.clawmesh.agent.outbound;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import io.clawmesh.common.link.BodyPieces;
import io.clawmesh.common.link.LinkFrame;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request that came down the coordinator's WebSocket, as the JDK HTTP server's exchange, so the agent's own
 * handlers serve it unchanged (ADR 0010). The answer goes up as {@code response}, {@code body} pieces cut at every
 * flush (an event stream's events go out as they are written) or every {@link LinkFrame#MAX_DATA_CHARS}, and
 * {@code end}. Once the coordinator reset the exchange, writes fail as on a closed HTTP connection.
 *
 * <p>A request that came in link version 2 (with {@code last}) is answered so too: an answer with a known length (or
 * none) keeps its head until the handler flushes, fills a piece or closes, so the head carries the first piece, and the last
 * piece carries {@code last} instead of an {@code end} frame: a small answer is one frame. A streamed answer (length
 * 0, an event stream) sends its head at once, as over HTTP.
 */
final class LinkedExchange extends HttpExchange {

    private static final InetSocketAddress COORDINATOR = InetSocketAddress.createUnresolved("coordinator", 0);

    private final String id;

    private final String method;

    private final URI uri;

    private final Headers requestHeaders = new Headers();

    private final Headers responseHeaders = new Headers();

    private final FrameSender sender;

    private final Map<String, Object> attributes = new HashMap<>();

    private final ByteArrayOutputStream requestBody = new ByteArrayOutputStream();

    private final Output output = new Output();

    private volatile int responseCode = -1;

    private volatile boolean reset;

    private boolean ended;

    /** Whether the coordinator reads version 2 answers: it sent the request in version 2. */
    private final boolean compact;

    LinkedExchange(LinkFrame request, FrameSender sender) {
        this.id = String.valueOf(request.id());
        this.method = String.valueOf(request.method());
        this.uri = URI.create(String.valueOf(request.path()));
        if (request.headers() != null) {
            request.headers().forEach(this.requestHeaders::add);
        }
        this.sender = sender;
        this.compact = request.last() != null;
    }

    String id() {
        return this.id;
    }

    /** Adds a piece of the request body; false when it grew past {@code limit} bytes. */
    boolean append(String data, int limit) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        if (this.requestBody.size() + bytes.length > limit) {
            return false;
        }
        this.requestBody.writeBytes(bytes);
        return true;
    }

    /** The coordinator gave the exchange up. */
    void reset() {
        this.reset = true;
    }

    @Override
    public Headers getRequestHeaders() {
        return this.requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return this.responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return this.uri;
    }

    @Override
    public String getRequestMethod() {
        return this.method;
    }

    @Override
    public HttpContext getHttpContext() {
        throw new UnsupportedOperationException("an exchange over the coordinator's WebSocket has no HTTP context");
    }

    @Override
    public synchronized void close() {
        if (this.ended) {
            return;
        }
        this.ended = true;
        try {
            if (this.responseCode == -1) {
                this.sender.send(LinkFrame.reset(this.id, "the agent sent no answer"));
                return;
            }
            this.output.finish();
        } catch (IOException ex) {
            // the connection is gone: the coordinator fails the exchange itself
        }
    }

    @Override
    public InputStream getRequestBody() {
        return new ByteArrayInputStream(this.requestBody.toByteArray());
    }

    @Override
    public OutputStream getResponseBody() {
        return this.output;
    }

    @Override
    public synchronized void sendResponseHeaders(int code, long length) throws IOException {
        if (this.responseCode != -1) {
            throw new IOException("headers already sent");
        }
        checkOpen();
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> header : this.responseHeaders.entrySet()) {
            if (!header.getValue().isEmpty()) {
                headers.put(header.getKey(), header.getValue().get(0));
            }
        }
        this.responseCode = code;
        if (this.compact && length != 0) {
            this.output.hold(code, headers);
        } else {
            this.sender.send(LinkFrame.response(this.id, code, headers));
        }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return COORDINATOR;
    }

    @Override
    public int getResponseCode() {
        return this.responseCode;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return COORDINATOR;
    }

    @Override
    public String getProtocol() {
        return "HTTP/1.1";
    }

    @Override
    public @Nullable Object getAttribute(String name) {
        return this.attributes.get(name);
    }

    @Override
    public void setAttribute(String name, @Nullable Object value) {
        if (value == null) {
            this.attributes.remove(name);
        } else {
            this.attributes.put(name, value);
        }
    }

    @Override
    public void setStreams(@Nullable InputStream input, @Nullable OutputStream output) {
        throw new UnsupportedOperationException("the streams of an exchange over the WebSocket are fixed");
    }

    @Override
    public @Nullable HttpPrincipal getPrincipal() {
        return null;
    }

    private void checkOpen() throws IOException {
        if (this.reset) {
            throw new IOException("the coordinator gave this exchange up");
        }
    }

    /** The answer's body: buffered up to one piece, sent at every flush and when full. */
    private final class Output extends OutputStream {

        private final byte[] buffer = new byte[LinkFrame.MAX_DATA_CHARS];

        private int size;

        /** A version 2 head not sent yet: it goes up with the first piece. */
        private @Nullable Map<String, String> heldHeaders;

        private int heldStatus;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            checkOpen();
            int written = 0;
            while (written < length) {
                int count = Math.min(length - written, this.buffer.length - this.size);
                System.arraycopy(bytes, offset + written, this.buffer, this.size, count);
                this.size += count;
                written += count;
                if (this.size == this.buffer.length) {
                    sendComplete();
                }
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            checkOpen();
            sendComplete();
            if (this.heldHeaders != null) {
                // flushed with nothing whole to send yet: the head goes alone, as over HTTP
                send(null, false);
            }
        }

        synchronized void hold(int status, Map<String, String> headers) {
            this.heldStatus = status;
            this.heldHeaders = headers;
        }

        /** Ends the answer, as closing the stream of the JDK server's exchange does. */
        @Override
        public void close() throws IOException {
            checkOpen();
            LinkedExchange.this.close();
        }

        /**
         * Sends what is buffered, a cut-off UTF-8 sequence at the end included, and ends the body: in version 2 on the
         * last frame (the held head, or the last piece), in version 1 with an {@code end} frame.
         */
        synchronized void finish() throws IOException {
            String rest = (this.size > 0) ? new String(this.buffer, 0, this.size, UTF8) : null;
            this.size = 0;
            String id = LinkedExchange.this.id;
            if (!LinkedExchange.this.compact) {
                if (rest != null) {
                    LinkedExchange.this.sender.send(LinkFrame.body(id, rest));
                }
                LinkedExchange.this.sender.send(LinkFrame.of(LinkFrame.END, id));
            } else if (this.heldHeaders != null) {
                send(rest, true);
            } else {
                LinkedExchange.this.sender.send(
                        (rest != null) ? LinkFrame.lastBody(id, rest) : LinkFrame.of(LinkFrame.END, id));
            }
        }

        /** Sends a piece ({@code null} for none): with the held head if there is one. */
        private void send(@Nullable String piece, boolean last) throws IOException {
            String id = LinkedExchange.this.id;
            Map<String, String> headers = this.heldHeaders;
            if (headers != null) {
                this.heldHeaders = null;
                LinkedExchange.this.sender.send(LinkFrame.response(id, this.heldStatus, headers, piece, last));
            } else if (piece != null) {
                LinkedExchange.this.sender.send(LinkFrame.body(id, piece));
            }
        }

        /** Sends the buffered bytes up to the last whole character; the rest waits for the next write. */
        private void sendComplete() throws IOException {
            int complete = BodyPieces.completeLength(this.buffer, this.size);
            if (complete == 0) {
                return;
            }
            send(new String(this.buffer, 0, complete, UTF8), false);
            System.arraycopy(this.buffer, complete, this.buffer, 0, this.size - complete);
            this.size -= complete;
        }
    }

    private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;
}
