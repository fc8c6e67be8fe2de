package io.clawmesh.agent.runtime.openai;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Stops one HTTP exchange from another thread, an abort's or the deadline's: before the answer's head arrives it
 * cancels the exchange, after it closes the response stream, which closes the connection, so the server sees the
 * client go away and the reading thread wakes up with an error. Once {@link #done()}, stopping does nothing.
 */
final class ResponseStop {

    private @Nullable CompletableFuture<?> pending;

    private @Nullable InputStream body;

    private boolean stopped;

    private boolean timedOut;

    private boolean done;

    /** The response of {@code exchange}, waited for; a stop cancels it. */
    HttpResponse<InputStream> await(CompletableFuture<HttpResponse<InputStream>> exchange)
            throws IOException, InterruptedException {
        boolean stopNow;
        synchronized (this) {
            this.pending = exchange;
            stopNow = this.stopped;
        }
        if (stopNow) {
            exchange.cancel(true);
        }
        try {
            return exchange.get();
        } catch (CancellationException ex) {
            throw new IOException("the exchange was cancelled", ex);
        } catch (ExecutionException ex) {
            if (ex.getCause() instanceof IOException io) {
                throw io;
            }
            if (ex.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(ex.getCause());
        } catch (InterruptedException ex) {
            exchange.cancel(true);
            throw ex;
        }
    }

    /**
     * A body handler that hands each response's stream to {@link #reading} the moment its head arrives, on the
     * client's thread. A stop that cancelled the exchange's future just as the head came in (the future then throws
     * and the response never reaches the caller) still closes the stream, and with it the connection, so the server
     * sees the client go away instead of writing the whole reply to nobody.
     */
    HttpResponse.BodyHandler<InputStream> bodyHandler() {
        return (info) -> {
            HttpResponse.BodySubscriber<InputStream> subscriber = HttpResponse.BodySubscribers.ofInputStream();
            subscriber.getBody().thenAccept(this::reading);
            return subscriber;
        };
    }

    /** Registers the response stream being read; closes it at once when a stop came first. */
    InputStream reading(InputStream stream) {
        boolean stopNow;
        synchronized (this) {
            this.body = stream;
            stopNow = this.stopped;
        }
        if (stopNow) {
            closeQuietly(stream);
        }
        return stream;
    }

    /** Stops the exchange (an abort). */
    void stop() {
        CompletableFuture<?> exchange;
        InputStream stream;
        synchronized (this) {
            if (this.done || this.stopped) {
                return;
            }
            this.stopped = true;
            exchange = this.pending;
            stream = this.body;
        }
        if (exchange != null) {
            exchange.cancel(true);
        }
        if (stream != null) {
            closeQuietly(stream);
        }
    }

    /** Stops the exchange because its deadline passed. */
    void timeOut() {
        synchronized (this) {
            if (this.done || this.stopped) {
                return;
            }
            this.timedOut = true;
        }
        stop();
    }

    synchronized boolean timedOut() {
        return this.timedOut;
    }

    /** The exchange ended; later stops do nothing. */
    synchronized void done() {
        this.done = true;
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException ex) {
            // closing is how the exchange stops: an error here changes nothing
        }
    }
}
