package io.clawmesh.agent.runtime;

/**
 * The heap a capacity needs. Each running task holds about 64 KiB of live heap on the OpenAI-compatible runtime (its
 * two virtual threads' stacks, the model connection's and the coordinator stream's buffers), on top of an idle
 * agent's 18 MiB (bench/README.md, tenth session); the serial collector's old generation, two thirds of the heap, must
 * hold that live set, so the heap needs at least {@value #BASE_MIB} MiB plus {@value #PER_SLOT_KIB} KiB per slot. An
 * agent with less refuses to start: a full one would run out of heap mid-run and leave its tasks hanging.
 */
public final class HeapBudget {

    static final int BASE_MIB = 27;

    static final int PER_SLOT_KIB = 96;

    private HeapBudget() {}

    /** The least heap, in bytes, that {@code capacity} running tasks need. */
    public static long requiredBytes(int capacity) {
        return ((long) BASE_MIB << 20) + ((long) PER_SLOT_KIB << 10) * Math.max(0, capacity);
    }

    /**
     * Refuses a capacity that a heap of {@code maxHeapBytes} ({@link Runtime#maxMemory()}) cannot carry.
     *
     * @throws HeapTooSmallException naming the heap the capacity needs
     */
    public static void check(int capacity, long maxHeapBytes) {
        long required = requiredBytes(capacity);
        if (maxHeapBytes == Long.MAX_VALUE || maxHeapBytes >= required) {
            return;
        }
        throw new HeapTooSmallException(capacity, mebibytes(required), mebibytes(maxHeapBytes));
    }

    private static long mebibytes(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
