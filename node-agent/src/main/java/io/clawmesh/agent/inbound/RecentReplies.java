package io.clawmesh.agent.inbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs each message id at most once while it is remembered: a retried id (the coordinator asks again after a broken
 * connection) waits for or reuses the first run's reply instead of running the message twice. Failed runs are
 * forgotten at once, so a retry after a failure really retries. Bounded in entries and age.
 */
public class RecentReplies {

    private final Map<String, Entry> entries = new HashMap<>();

    private final Deque<Entry> order = new ArrayDeque<>();

    private final int maxEntries;

    private final Duration maxAge;

    private final Clock clock;

    public RecentReplies(int maxEntries, Duration maxAge, Clock clock) {
        this.maxEntries = maxEntries;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /**
     * The reply for {@code id}: from the run in progress or remembered, or from {@code run} when this id is new.
     *
     * @throws RuntimeException what {@code run} threw
     */
    public String replyOnce(String id, Supplier<String> run) {
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> existing = claim(id, mine);
        if (existing != null) {
            try {
                return existing.join();
            } catch (CompletionException ex) {
                throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
            }
        }
        try {
            String reply = run.get();
            mine.complete(reply);
            return reply;
        } catch (RuntimeException ex) {
            forget(id, mine);
            mine.completeExceptionally(ex);
            throw ex;
        }
    }

    private synchronized @Nullable CompletableFuture<String> claim(String id, CompletableFuture<String> mine) {
        Instant oldest = this.clock.instant().minus(this.maxAge);
        while (!this.order.isEmpty() && this.order.peekFirst().createdAt().isBefore(oldest)) {
            evictOldest();
        }
        Entry existing = this.entries.get(id);
        if (existing != null) {
            return existing.reply();
        }
        while (this.order.size() >= this.maxEntries) {
            evictOldest();
        }
        Entry entry = new Entry(id, mine, this.clock.instant());
        this.entries.put(id, entry);
        this.order.addLast(entry);
        return null;
    }

    private synchronized void forget(String id, CompletableFuture<String> reply) {
        Entry entry = this.entries.get(id);
        if (entry != null && entry.reply() == reply) {
            this.entries.remove(id);
            this.order.remove(entry);
        }
    }

    private void evictOldest() {
        Entry entry = this.order.removeFirst();
        this.entries.remove(entry.id(), entry);
    }

    private record Entry(String id, CompletableFuture<String> reply, Instant createdAt) {}
}
