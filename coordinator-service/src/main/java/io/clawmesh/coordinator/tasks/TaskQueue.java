package io.clawmesh.coordinator.tasks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * The waiting tasks in dispatch order (priority, then arrival), mirroring the {@code queued} rows of this
 * coordinator. Adding a task that is already there changes nothing, so a rebuild from the database and a submission
 * may overlap.
 */
@Component
public class TaskQueue {

    private final ReentrantLock lock = new ReentrantLock();

    /** Guarded by {@link #lock}. */
    private final TreeSet<QueuedTask> ordered = new TreeSet<>(QueuedTask.ORDER);

    /** Guarded by {@link #lock}. */
    private final Map<String, QueuedTask> byId = new HashMap<>();

    /** Adds a task; answers whether it was new. */
    public boolean add(QueuedTask task) {
        this.lock.lock();
        try {
            if (this.byId.putIfAbsent(task.id(), task) != null) {
                return false;
            }
            this.ordered.add(task);
            return true;
        } finally {
            this.lock.unlock();
        }
    }

    /** Removes a task; answers whether it was there. */
    public boolean remove(String id) {
        this.lock.lock();
        try {
            QueuedTask task = this.byId.remove(id);
            if (task == null) {
                return false;
            }
            this.ordered.remove(task);
            return true;
        } finally {
            this.lock.unlock();
        }
    }

    public boolean contains(String id) {
        this.lock.lock();
        try {
            return this.byId.containsKey(id);
        } finally {
            this.lock.unlock();
        }
    }

    public int size() {
        this.lock.lock();
        try {
            return this.byId.size();
        } finally {
            this.lock.unlock();
        }
    }

    /** The waiting tasks in dispatch order, a copy. */
    public List<QueuedTask> inOrder() {
        this.lock.lock();
        try {
            return new ArrayList<>(this.ordered);
        } finally {
            this.lock.unlock();
        }
    }
}
