package io.clawmesh.coordinator;

import java.util.function.IntUnaryOperator;

/** Deletes in batches until a batch comes back short, so that no single delete locks a table for long (retention). */
public final class BatchDeletion {

    private BatchDeletion() {}

    /**
     * Runs {@code deleteBatch} with the batch size until it deletes fewer rows than that.
     *
     * @param batch the most rows one statement deletes; less than 1 counts as 1
     * @param deleteBatch deletes up to the given number of rows and answers how many it deleted
     * @return how many rows were deleted in all
     */
    public static int untilShort(int batch, IntUnaryOperator deleteBatch) {
        int size = Math.max(1, batch);
        int total = 0;
        int deleted;
        do {
            deleted = deleteBatch.applyAsInt(size);
            total += deleted;
        } while (deleted == size);
        return total;
    }
}
