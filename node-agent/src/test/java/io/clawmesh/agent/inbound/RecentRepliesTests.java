package io.clawmesh.agent.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecentRepliesTests {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-24T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void replyOnceWhenIdIsRetriedShouldRunOnceAndAnswerTheFirstReply() {
        RecentReplies replies = new RecentReplies(100, Duration.ofMinutes(5), this.clock);
        AtomicInteger runs = new AtomicInteger();

        String first = replies.replyOnce("msg-1", () -> "reply " + runs.incrementAndGet());
        String retried = replies.replyOnce("msg-1", () -> "reply " + runs.incrementAndGet());

        assertThat(first).isEqualTo("reply 1");
        assertThat(retried).isEqualTo("reply 1");
        assertThat(runs).hasValue(1);
    }

    @Test
    void replyOnceWhenRetryArrivesDuringTheFirstRunShouldWaitForIt() throws Exception {
        RecentReplies replies = new RecentReplies(100, Duration.ofMinutes(5), this.clock);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> replies.replyOnce("msg-1", () -> {
            started.countDown();
            await(release);
            return "slow reply";
        }));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> retry =
                CompletableFuture.supplyAsync(() -> replies.replyOnce("msg-1", () -> "second run"));

        release.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("slow reply");
        assertThat(retry.get(5, TimeUnit.SECONDS)).isEqualTo("slow reply");
    }

    @Test
    void replyOnceWhenFirstRunFailedShouldRunTheRetry() {
        RecentReplies replies = new RecentReplies(100, Duration.ofMinutes(5), this.clock);

        assertThatIllegalStateException()
                .isThrownBy(() -> replies.replyOnce("msg-1", () -> {
                    throw new IllegalStateException("runtime down");
                }));

        assertThat(replies.replyOnce("msg-1", () -> "now it works")).isEqualTo("now it works");
    }

    @Test
    void replyOnceWhenFullShouldForgetTheOldestId() {
        RecentReplies replies = new RecentReplies(2, Duration.ofMinutes(5), this.clock);
        replies.replyOnce("a", () -> "a1");
        replies.replyOnce("b", () -> "b1");
        replies.replyOnce("c", () -> "c1");

        assertThat(replies.replyOnce("a", () -> "a2")).isEqualTo("a2");
        assertThat(replies.replyOnce("c", () -> "c2")).isEqualTo("c1");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
