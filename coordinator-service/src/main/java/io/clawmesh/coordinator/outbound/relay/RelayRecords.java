package io.clawmesh.coordinator.outbound.relay;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The relay's own answer format (not the agent link's frames): after a 200, a sequence of records, each a type byte,
 * a length (4 bytes) and that many bytes. {@code A} the agent acknowledged the request; {@code H} the answer's head
 * ({@link Head} as JSON); {@code B} a piece of the body; {@code E} the end; {@code L} the exchange was lost
 * ({@link Failure} as JSON); {@code T} the agent stayed silent for the read timeout.
 */
final class RelayRecords {

    static final String CONTENT_TYPE = "application/vnd.clawmesh.relay";

    static final byte ACCEPTED = 'A';

    static final byte HEAD = 'H';

    static final byte BODY = 'B';

    static final byte END = 'E';

    static final byte LOST = 'L';

    static final byte TIMEOUT = 'T';

    /** A record larger than this is not read: a broken or hostile peer. */
    static final int MAX_RECORD_BYTES = 8 * 1024 * 1024;

    private RelayRecords() {}

    static void write(DataOutputStream out, byte type, byte[] payload) throws IOException {
        out.writeByte(type);
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
    }

    /** The next record, or {@code null} when the stream ended cleanly between records. */
    static @Nullable Entry read(DataInputStream in) throws IOException {
        int type = in.read();
        if (type == -1) {
            return null;
        }
        int length;
        try {
            length = in.readInt();
        } catch (EOFException ex) {
            throw new EOFException("the relay's answer broke off inside a record");
        }
        if (length < 0 || length > MAX_RECORD_BYTES) {
            throw new IOException("the relay sent a record of " + length + " bytes");
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
            throw new EOFException("the relay's answer broke off inside a record");
        }
        return new Entry((byte) type, payload);
    }

    /** One record. */
    record Entry(byte type, byte[] payload) {}

    /** The head of the agent's answer. */
    record Head(int status, Map<String, String> headers) {}

    /** Why the exchange was lost, and whether the agent had acknowledged it. */
    record Failure(boolean accepted, String detail) {}
}
