package io.clawmesh.coordinator.openai;

import io.clawmesh.coordinator.forwarding.ClientWatch;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Notices the clients of plain chat completions that leave while their completion waits for the node's whole answer,
 * so the run is canceled on the node (ADR 0015). One shared thread asks every waiting request's connection, a few
 * times a second, whether its client has closed it ({@link ClientConnection}); the request threads themselves only
 * wait. A client seen gone has the run canceled by its message id, on a virtual thread, again at the next check while
 * the node does not have it yet, until the answer arrives.
 * <p>
 * A request's connection is only touched while its thread waits: between {@link ClientWatch#watch} and
 * {@link ClientWatch.Watching#close} (each check and the close take the watch's lock), with the body already read.
 */
@Component
class ClientDepartures implements DisposableBean {

    /** How often the waiting clients are checked: how long a run may go on for a client that left. */
    static final Duration PERIOD = Duration.ofMillis(200);

    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();

    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("chat-client-watch").factory());

    ClientDepartures() {
        this.checker.scheduleWithFixedDelay(this::check, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The watch of one request being served, its body read to the end. */
    ClientWatch of(HttpServletRequest client) {
        return (cancel) -> {
            Watched watch = new Watched(client, cancel);
            this.watched.add(watch);
            return watch;
        };
    }

    /** How many requests are being watched; for tests. */
    int watching() {
        return this.watched.size();
    }

    private void check() {
        for (Watched watch : this.watched) {
            try {
                watch.check();
            } catch (RuntimeException ex) {
                // one request's trouble must not stop the checks of the others
            }
        }
    }

    @Override
    public void destroy() {
        this.checker.shutdownNow();
    }

    private final class Watched implements ClientWatch.Watching {

        private final HttpServletRequest client;

        private final BooleanSupplier cancel;

        private volatile boolean gone;

        private boolean closed;

        private boolean canceling;

        Watched(HttpServletRequest client, BooleanSupplier cancel) {
            this.client = client;
            this.cancel = cancel;
        }

        void check() {
            synchronized (this) {
                if (this.closed || this.canceling) {
                    return;
                }
                if (!this.gone) {
                    if (!ClientConnection.closed(this.client)) {
                        return;
                    }
                    this.gone = true;
                }
                this.canceling = true;
            }
            Thread.ofVirtual().name("chat-cancel").start(this::cancel);
        }

        private void cancel() {
            boolean canceled = false;
            try {
                canceled = this.cancel.getAsBoolean();
            } finally {
                synchronized (this) {
                    this.canceling = false;
                }
                if (canceled) {
                    ClientDepartures.this.watched.remove(this);
                }
            }
        }

        @Override
        public boolean gone() {
            return this.gone;
        }

        @Override
        public void close() {
            synchronized (this) {
                this.closed = true;
            }
            ClientDepartures.this.watched.remove(this);
        }
    }
}
