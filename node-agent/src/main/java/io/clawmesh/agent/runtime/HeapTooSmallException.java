package io.clawmesh.agent.runtime;

/** The agent's max heap cannot carry its capacity ({@link HeapBudget}); it refuses to start. */
public class HeapTooSmallException extends IllegalStateException {

    private final int capacity;

    private final long requiredMib;

    private final long availableMib;

    HeapTooSmallException(int capacity, long requiredMib, long availableMib) {
        super("mesh.agent.capacity=" + capacity + " needs a heap of at least " + requiredMib + " MiB ("
                + HeapBudget.BASE_MIB + " MiB + " + HeapBudget.PER_SLOT_KIB + " KiB per slot), but this JVM can use "
                + availableMib + " MiB: a full agent would run out of memory");
        this.capacity = capacity;
        this.requiredMib = requiredMib;
        this.availableMib = availableMib;
    }

    public int capacity() {
        return this.capacity;
    }

    public long requiredMib() {
        return this.requiredMib;
    }

    public long availableMib() {
        return this.availableMib;
    }
}
