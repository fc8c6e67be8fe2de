package io.clawmesh.coordinator.messages;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The bounded log of routed messages. Routing threads only enqueue; a scheduled flush writes batches, so logging costs
 * the hot path almost nothing. A full buffer makes the routing thread flush itself rather than drop records, and
 * stopping the application flushes what is left.
 */
@Component
public class MessageLog implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(MessageLog.class);

    private static final int BATCH = 1000;

    private final MessageLogRepository repository;

    private final MessageLogProperties properties;

    private final BlockingQueue<MessageRecord> buffer;

    private final ReentrantLock flushLock = new ReentrantLock();

    private volatile boolean running;

    private long writtenSincePrune;

    public MessageLog(MessageLogRepository repository, MessageLogProperties properties) {
        this.repository = repository;
        this.properties = properties;
        this.buffer = new ArrayBlockingQueue<>(Math.max(BATCH, properties.bufferSize()));
    }

    public void record(MessageRecord record) {
        if (!this.properties.enabled()) {
            return;
        }
        while (!this.buffer.offer(record)) {
            flush();
        }
    }

    /** The newest messages first, including those not yet written. */
    public List<MessageRecord> recent(int limit) {
        flush();
        return this.repository.findRecent(limit);
    }

    /** The newest messages of one node first, including those not yet written. */
    public List<MessageRecord> recentForNode(String nodeId, int limit) {
        flush();
        return this.repository.findRecentForNode(nodeId, limit);
    }

    /** Counts of the messages logged since {@code since}, including those not yet written. */
    public MessageCounts countSince(Instant since) {
        flush();
        return this.repository.countSince(since);
    }

    /** Writes buffered records in batches and keeps the table bounded. */
    @Scheduled(fixedDelayString = "${mesh.messages.flush-interval:200ms}")
    public void flush() {
        this.flushLock.lock();
        try {
            List<MessageRecord> batch = new ArrayList<>(BATCH);
            while (this.buffer.drainTo(batch, BATCH) > 0) {
                this.repository.insertAll(batch);
                this.writtenSincePrune += batch.size();
                batch.clear();
            }
            if (this.writtenSincePrune >= Math.max(BATCH, this.properties.maxRows() / 10)) {
                this.repository.prune(this.properties.maxRows());
                this.writtenSincePrune = 0;
            }
        } catch (RuntimeException ex) {
            logger.warn("Could not write the message log: {}", ex.getMessage());
        } finally {
            this.flushLock.unlock();
        }
    }

    @Override
    public void start() {
        this.running = true;
    }

    @Override
    public void stop() {
        this.running = false;
        flush();
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** Stop after the web server (which stops at a higher phase) has let in-flight requests finish. */
    @Override
    public int getPhase() {
        return 0;
    }
}
