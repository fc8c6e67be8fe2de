package io.clawmesh.coordinator.outbound;

import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * An answer's body read piece by piece as it arrives, the same over this replica's own connection to an outbound
 * agent ({@link LinkExchange}) and over a relay through the replica that holds it: a subclass says where the next
 * piece comes from and what closing the stream abandons.
 */
public abstract class PieceStream extends InputStream {

    private byte @Nullable [] piece;

    private int position;

    private boolean ended;

    protected PieceStream() {}

    /** A stream that starts with {@code first} (a head that carried the first piece), {@code null} for none. */
    protected PieceStream(byte @Nullable [] first) {
        this.piece = first;
    }

    /**
     * Waits for the next piece of the body.
     *
     * @return the piece (possibly empty), or {@code null} at the end of the body
     */
    protected abstract byte @Nullable [] nextPiece() throws IOException;

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return (read(one, 0, 1) == -1) ? -1 : (one[0] & 0xFF);
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (this.piece == null || this.position == this.piece.length) {
            if (this.ended) {
                return -1;
            }
            byte[] next = nextPiece();
            if (next == null) {
                this.ended = true;
                this.piece = null;
                return -1;
            }
            this.piece = next;
            this.position = 0;
        }
        int count = Math.min(length, this.piece.length - this.position);
        System.arraycopy(this.piece, this.position, bytes, offset, count);
        this.position += count;
        return count;
    }

    /** Abandons the exchange unless it was read to its end. */
    @Override
    public abstract void close();
}
