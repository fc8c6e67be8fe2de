package io.clawmesh.coordinator.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.clawmesh.coordinator.forwarding.ForwardingFixtures;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageBatchCodecTests {

    @Test
    void decodeShouldAnswerTheEncodedRecordsInOrder() {
        List<MessageRecord> records =
                List.of(ForwardingFixtures.routed(1), ForwardingFixtures.noRoute(2), ForwardingFixtures.routed(3));

        assertThat(MessageBatchCodec.decode(MessageBatchCodec.encode(records))).isEqualTo(records);
    }

    @Test
    void decodeShouldKeepNullsTextOutsideAsciiAndNanoseconds() {
        MessageRecord record = new MessageRecord(
                "msg-ü",
                null,
                "Mäc mini ☕",
                MessageRecord.Outcome.TIMED_OUT,
                504,
                Long.MAX_VALUE,
                3,
                null,
                "",
                null,
                Instant.parse("2026-12-08T00:00:00.123456789Z"));

        assertThat(MessageBatchCodec.decode(MessageBatchCodec.encode(List.of(record))))
                .containsExactly(record);
    }

    @Test
    void encodeShouldCutSourceAndErrorToTheirColumnLengths() {
        MessageRecord base = ForwardingFixtures.noRoute(1);
        MessageRecord longText = new MessageRecord(
                base.messageId(),
                null,
                null,
                base.outcome(),
                502,
                5,
                3,
                null,
                "s".repeat(500),
                "e".repeat(5000),
                base.createdAt());

        MessageRecord read = MessageBatchCodec.decode(MessageBatchCodec.encode(List.of(longText)))
                .getFirst();

        assertThat(read.source()).isEqualTo("s".repeat(200));
        assertThat(read.error()).isEqualTo("e".repeat(1000));
    }

    @Test
    void decodeWhenEmptyBatchShouldAnswerNoRecords() {
        assertThat(MessageBatchCodec.decode(MessageBatchCodec.encode(List.of())))
                .isEmpty();
    }

    @Test
    void decodeWhenUnknownFormatShouldFail() {
        byte[] row = MessageBatchCodec.encode(List.of(ForwardingFixtures.routed(1)));
        row[0] = 9;

        assertThatIllegalStateException()
                .isThrownBy(() -> MessageBatchCodec.decode(row))
                .withMessageContaining("format 9");
    }

    @Test
    void decodeWhenCutShortShouldFail() {
        byte[] row = MessageBatchCodec.encode(List.of(ForwardingFixtures.routed(1)));

        assertThatIllegalStateException()
                .isThrownBy(() -> MessageBatchCodec.decode(java.util.Arrays.copyOf(row, row.length - 3)))
                .withMessageContaining("Unreadable");
    }
}
