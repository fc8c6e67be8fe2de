package io.clawmesh.coordinator.messages;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The bytes of one message log row: the records of one flush, oldest first (ADR 0019). A format byte leads, so a later
 * format can still read the rows this one wrote. Source and error are cut to 200 and 1,000 characters, as the columns
 * of the per-message table were.
 */
final class MessageBatchCodec {

    static final int SOURCE_LENGTH = 200;

    static final int ERROR_LENGTH = 1000;

    private static final byte FORMAT = 1;

    private MessageBatchCodec() {}

    static byte[] encode(List<MessageRecord> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + records.size() * 192);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(records.size());
            for (MessageRecord record : records) {
                writeString(out, record.messageId());
                writeString(out, record.nodeId());
                writeString(out, record.nodeName());
                writeString(out, record.outcome().wireName());
                out.writeInt(record.status());
                out.writeLong(record.latencyMs());
                out.writeInt(record.attempts());
                writeString(out, record.ruleId());
                writeString(out, truncate(record.source(), SOURCE_LENGTH));
                writeString(out, truncate(record.error(), ERROR_LENGTH));
                out.writeLong(record.createdAt().getEpochSecond());
                out.writeInt(record.createdAt().getNano());
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    /** The records of one row, oldest first. */
    static List<MessageRecord> decode(byte[] row) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(row))) {
            int format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("Unknown message log row format " + format);
            }
            int size = in.readInt();
            List<MessageRecord> records = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                records.add(new MessageRecord(
                        requireString(in),
                        readString(in),
                        readString(in),
                        outcome(requireString(in)),
                        in.readInt(),
                        in.readLong(),
                        in.readInt(),
                        readString(in),
                        readString(in),
                        readString(in),
                        Instant.ofEpochSecond(in.readLong(), in.readInt())));
            }
            return records;
        } catch (IOException ex) {
            throw new IllegalStateException("Unreadable message log row", ex);
        }
    }

    private static MessageRecord.Outcome outcome(String wireName) {
        MessageRecord.Outcome outcome = MessageRecord.Outcome.fromWireName(wireName);
        if (outcome == null) {
            throw new IllegalStateException("Unknown message outcome " + wireName);
        }
        return outcome;
    }

    private static void writeString(DataOutputStream out, @Nullable String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static @Nullable String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String requireString(DataInputStream in) throws IOException {
        String value = readString(in);
        if (value == null) {
            throw new IllegalStateException("Message log row lacks a required value");
        }
        return value;
    }

    private static @Nullable String truncate(@Nullable String value, int max) {
        return (value == null || value.length() <= max) ? value : value.substring(0, max);
    }
}
