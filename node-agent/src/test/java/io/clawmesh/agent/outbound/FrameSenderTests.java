package io.clawmesh.agent.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import io.clawmesh.common.link.LinkFrame;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The agent's writer queue against a socket that, like the JDK's, takes one frame at a time and completes later. */
class FrameSenderTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ExecutorService completions = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        this.completions.shutdownNow();
    }

    @Test
    void concurrentSendersShouldHaveEveryFrameSentOneAtATimeAndEachSendersInOrder() throws Exception {
        SlowSocket socket = new SlowSocket(this.completions);
        FrameSender sender = new FrameSender(socket, JSON, Duration.ofSeconds(10));
        int writers = 8;
        int frames = 60;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String id = "x" + w;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < frames; i++) {
                        sender.send(LinkFrame.body(id, Integer.toString(i)));
                    }
                    return null;
                }));
            }
            for (Future<?> each : done) {
                each.get(30, TimeUnit.SECONDS);
            }
        }
        assertThat(socket.overlapped).as("never two sends outstanding").isFalse();
        List<LinkFrame> sent = socket.sent.stream()
                .map((text) -> JSON.readValue(text, LinkFrame.class))
                .toList();
        assertThat(sent).hasSize(writers * frames);
        for (int w = 0; w < writers; w++) {
            String id = "x" + w;
            assertThat(sent.stream().filter((frame) -> id.equals(frame.id())).map(LinkFrame::data))
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, frames)
                            .mapToObj(Integer::toString)
                            .toList());
        }
    }

    @Test
    void aFrameTheSocketDoesNotTakeInTimeShouldFailAndAbortTheSocketAndTheFramesQueuedBehindIt() throws Exception {
        StuckSocket socket = new StuckSocket();
        FrameSender sender = new FrameSender(socket, JSON, Duration.ofMillis(200));
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> first = threads.submit(() -> {
                sender.send(LinkFrame.response("x1", 200, Map.of()));
                return null;
            });
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> socket.pending.size() == 1);
            Future<?> behind = threads.submit(() -> {
                sender.send(LinkFrame.of(LinkFrame.ACK, "x2"));
                return null;
            });
            assertThat(first)
                    .failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(IOException.class)
                    .withMessageContaining("took no frame");
            assertThat(socket.aborted).isTrue();
            assertThat(behind)
                    .failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void aSocketThatBrokeShouldFailTheSendWithTheCause() {
        StuckSocket socket = new StuckSocket();
        socket.abort();
        FrameSender sender = new FrameSender(socket, JSON, Duration.ofSeconds(5));
        assertThatIOException()
                .isThrownBy(() -> sender.send(LinkFrame.of(LinkFrame.END, "x1")))
                .withMessageContaining("broke");
    }

    /** Completes each send later on another thread, and notes a send started while another was outstanding. */
    private static final class SlowSocket extends NullSocket {

        final List<String> sent = new CopyOnWriteArrayList<>();

        final AtomicInteger outstanding = new AtomicInteger();

        volatile boolean overlapped;

        private final ExecutorService completions;

        SlowSocket(ExecutorService completions) {
            this.completions = completions;
        }

        @Override
        public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
            if (this.outstanding.incrementAndGet() > 1) {
                this.overlapped = true;
            }
            this.sent.add(data.toString());
            CompletableFuture<WebSocket> taken = new CompletableFuture<>();
            this.completions.execute(() -> {
                this.outstanding.decrementAndGet();
                taken.complete(this);
            });
            return taken;
        }
    }

    /** Takes no frame until aborted; then fails every send, as the JDK socket does. */
    private static final class StuckSocket extends NullSocket {

        final ConcurrentLinkedQueue<CompletableFuture<WebSocket>> pending = new ConcurrentLinkedQueue<>();

        volatile boolean aborted;

        @Override
        public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
            if (this.aborted) {
                return CompletableFuture.failedFuture(new IOException("closed output"));
            }
            CompletableFuture<WebSocket> taken = new CompletableFuture<>();
            this.pending.add(taken);
            return taken;
        }

        @Override
        public void abort() {
            this.aborted = true;
            for (CompletableFuture<WebSocket> taken = this.pending.poll(); taken != null; taken = this.pending.poll()) {
                taken.completeExceptionally(new IOException("aborted"));
            }
        }
    }

    private abstract static class NullSocket implements WebSocket {

        private final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
            this.closed.set(true);
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public void request(long n) {}

        @Override
        public String getSubprotocol() {
            return "";
        }

        @Override
        public boolean isOutputClosed() {
            return this.closed.get();
        }

        @Override
        public boolean isInputClosed() {
            return this.closed.get();
        }

        @Override
        public void abort() {
            this.closed.set(true);
        }
    }
}
