package io.clawmesh.coordinator.outbound.relay;

import io.clawmesh.coordinator.outbound.LinkLostException;
import io.clawmesh.coordinator.outbound.LinkResponse;
import io.clawmesh.coordinator.outbound.PieceStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/** The answer as the holder streams it, in {@link RelayRecords}. */
final class RelayedExchange implements NodeExchange {

    private final JsonMapper json;

    private final String via;

    private final HttpPost post;

    private final ClassicHttpResponse response;

    private final DataInputStream in;

    private volatile boolean accepted;

    private volatile boolean finished;

    RelayedExchange(JsonMapper json, String via, HttpPost post, ClassicHttpResponse response, DataInputStream in) {
        this.json = json;
        this.via = via;
        this.post = post;
        this.response = response;
        this.in = in;
    }

    @Override
    public boolean accepted() {
        return this.accepted;
    }

    @Override
    public LinkResponse response() throws IOException {
        while (true) {
            RelayRecords.Entry entry = next("an answer");
            switch (entry.type()) {
                case RelayRecords.ACCEPTED -> this.accepted = true;
                case RelayRecords.HEAD -> {
                    RelayRecords.Head head =
                            RelayedExchange.this.json.readValue(entry.payload(), RelayRecords.Head.class);
                    Map<String, String> headers = new HashMap<>();
                    if (head.headers() != null) {
                        head.headers().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
                    }
                    return new LinkResponse(head.status(), Map.copyOf(headers), new Body());
                }
                default -> throw failure(entry, "an answer");
            }
        }
    }

    private RelayRecords.Entry next(String expected) throws IOException {
        RelayRecords.Entry entry;
        try {
            entry = RelayRecords.read(this.in);
        } catch (SocketTimeoutException ex) {
            throw ex;
        } catch (IOException ex) {
            this.finished = true;
            throw new LinkLostException(
                    this.accepted,
                    this.via + ": the relay broke while waiting for " + expected + ": " + RelayClient.describe(ex));
        }
        if (entry == null) {
            this.finished = true;
            throw new LinkLostException(this.accepted, this.via + ": the relay ended before " + expected);
        }
        return entry;
    }

    private IOException failure(RelayRecords.Entry entry, String expected) {
        this.finished = true;
        if (entry.type() == RelayRecords.TIMEOUT) {
            return new SocketTimeoutException(new String(entry.payload(), StandardCharsets.UTF_8));
        }
        if (entry.type() == RelayRecords.LOST) {
            RelayRecords.Failure failure =
                    RelayedExchange.this.json.readValue(entry.payload(), RelayRecords.Failure.class);
            this.accepted |= failure.accepted();
            return new LinkLostException(this.accepted, this.via + ": " + failure.detail());
        }
        return new LinkLostException(
                this.accepted,
                this.via + ": the relay sent '" + (char) entry.type() + "' where " + expected + " belonged");
    }

    @Override
    public void close() {
        if (!this.finished) {
            this.finished = true;
            // breaks the relay's connection off: the holder abandons the exchange, and the agent is told
            this.post.cancel();
        }
        RelayClient.closeQuietly(this.response);
    }

    /** The body as the holder relays it, until {@code E}. */
    private final class Body extends PieceStream {

        @Override
        protected byte @Nullable [] nextPiece() throws IOException {
            while (true) {
                RelayRecords.Entry entry = next("the body");
                if (entry.type() == RelayRecords.END) {
                    RelayedExchange.this.finished = true;
                    try {
                        // the chunked body's end, so the connection goes back to the pool
                        RelayedExchange.this.in.read();
                    } catch (IOException ex) {
                        // then it is discarded
                    }
                    RelayClient.closeQuietly(RelayedExchange.this.response);
                    return null;
                }
                if (entry.type() == RelayRecords.ACCEPTED) {
                    RelayedExchange.this.accepted = true;
                    continue;
                }
                if (entry.type() != RelayRecords.BODY) {
                    throw failure(entry, "the body");
                }
                return entry.payload();
            }
        }

        @Override
        public void close() {
            RelayedExchange.this.close();
        }
    }
}
