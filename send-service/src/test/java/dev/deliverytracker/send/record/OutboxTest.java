package dev.deliverytracker.send.record;

import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.schemas.fixtures.Events;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The outbox file on its own: order, persistence across reopen, torn and corrupt lines, truncation. */
class OutboxTest {

    private static SendEvent event(String msgKey) {
        return Events.acceptedSend(msgKey, Instant.parse("2026-11-22T01:00:00Z")).build();
    }

    @Test
    void eventsComeBackInOrderAndSurviveAReopen(@TempDir Path dir) {
        try (Outbox outbox = new Outbox(dir)) {
            outbox.append(event("mk-1"));
            outbox.append(event("mk-2"));
            outbox.append(event("mk-3"));
            List<Outbox.Entry> two = outbox.pending(2);
            assertThat(two).extracting(e -> e.event().getMsgKey()).containsExactly("mk-1", "mk-2");
            outbox.markReplayed(two.get(1).endOffset());
        }
        try (Outbox reopened = new Outbox(dir)) {
            assertThat(reopened.hasPending()).isTrue();
            List<Outbox.Entry> rest = reopened.pending(10);
            assertThat(rest).extracting(e -> e.event().getMsgKey()).containsExactly("mk-3");
            assertThat(rest.get(0).event()).isEqualTo(event("mk-3"));
            reopened.markReplayed(rest.get(0).endOffset());
            assertThat(reopened.hasPending()).isFalse();
            assertThat(reopened.pending(10)).isEmpty();
        }
        assertThat(dir.resolve("events.log")).isEmptyFile();
    }

    @Test
    void aTornLastLineFromACrashIsDroppedAndACorruptLineIsQuarantined(@TempDir Path dir) throws Exception {
        try (Outbox outbox = new Outbox(dir)) {
            outbox.append(event("mk-1"));
        }
        Files.writeString(dir.resolve("events.log"), "0000beef bm90IGF2cm8=\n", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        try (Outbox outbox = new Outbox(dir)) {
            outbox.append(event("mk-2"));
        }
        Files.writeString(dir.resolve("events.log"), "1234abcd half-written", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        try (Outbox outbox = new Outbox(dir)) {
            List<Outbox.Entry> first = outbox.pending(10);
            assertThat(first).extracting(e -> e.event().getMsgKey()).as("up to the corrupt line").containsExactly("mk-1");
            outbox.markReplayed(first.get(0).endOffset());
            List<Outbox.Entry> second = outbox.pending(10);
            assertThat(second).extracting(e -> e.event().getMsgKey()).as("the corrupt line quarantined").containsExactly("mk-2");
            assertThat(outbox.quarantined()).isEqualTo(1);
            outbox.append(event("mk-3"));
            outbox.markReplayed(second.get(0).endOffset());
            assertThat(outbox.pending(10)).extracting(e -> e.event().getMsgKey()).containsExactly("mk-3");
        }
        assertThat(Files.readString(dir.resolve("quarantine.log"))).contains("checksum mismatch").contains("0000beef bm90IGF2cm8=");
    }

    /**
     * An outbox written by the release before SendEvent v2 (recipientHash inserted mid-record) replays after the
     * upgrade: each line names its writer schema, which the old release stored beside it.
     */
    @Test
    void linesWrittenWithTheV1SchemaReplayAfterAnUpgrade(@TempDir Path dir) throws Exception {
        Schema v1;
        try (var in = OutboxTest.class.getResourceAsStream("/schema-history/dev.deliverytracker.events.SendEvent/v1.avsc")) {
            v1 = new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        String fingerprint = String.format("%016x", SchemaNormalization.parsingFingerprint64(v1));
        Files.createDirectories(dir.resolve("schemas"));
        Files.writeString(dir.resolve("schemas").resolve(fingerprint + ".avsc"), v1.toString());
        StringBuilder lines = new StringBuilder();
        for (String msgKey : List.of("mk-v1-a", "mk-v1-b")) {
            GenericRecord old = new GenericRecordBuilder(v1).set("eventId", "send-" + msgKey)
                    .set("outcome", new GenericData.EnumSymbol(v1.getField("outcome").schema(), "ACCEPTED"))
                    .set("msgKey", msgKey).set("requestId", "req-" + msgKey).set("provider", "bizgo")
                    .set("flow", List.of(new GenericData.EnumSymbol(v1.getField("flow").schema().getElementType(), "ALIMTALK")))
                    .set("templateCode", "TPL").set("recipientMasked", "010-****-5678").set("origin", "billing")
                    .set("acceptedAt", Instant.parse("2026-11-22T01:00:00Z").toEpochMilli()).build();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(v1).write(old, encoder);
            encoder.flush();
            CRC32 crc = new CRC32();
            crc.update(out.toByteArray());
            lines.append("2 ").append(String.format("%08x", crc.getValue())).append(' ').append(fingerprint).append(' ')
                    .append(Base64.getEncoder().encodeToString(out.toByteArray())).append('\n');
        }
        Files.writeString(dir.resolve("events.log"), lines.toString(), StandardCharsets.US_ASCII);

        try (Outbox outbox = new Outbox(dir)) {
            outbox.append(event("mk-v2")); // the new release appends with its own schema
            List<Outbox.Entry> entries = outbox.pending(10);
            assertThat(entries).extracting(e -> e.event().getMsgKey()).containsExactly("mk-v1-a", "mk-v1-b", "mk-v2");
            SendEvent upgraded = entries.get(0).event();
            assertThat(upgraded.getRecipientHash()).isNull();
            assertThat(upgraded.getOrigin()).isEqualTo("billing");
            assertThat(upgraded.getAcceptedAt()).isEqualTo(Instant.parse("2026-11-22T01:00:00Z"));
            assertThat(entries.get(2).event()).isEqualTo(event("mk-v2"));
            assertThat(outbox.quarantined()).isZero();
        }
    }

    /** A line that cannot be read, for any reason, goes to quarantine.log with the reason; the lines after it replay. */
    @Test
    void anUnreadableLineIsQuarantinedAndNeverBlocksTheRest(@TempDir Path dir) throws Exception {
        try (Outbox outbox = new Outbox(dir)) {
            outbox.append(event("mk-1"));
        }
        // a first-format line written by an older SendEvent (misread by today's schema), then an unknown schema
        Files.writeString(dir.resolve("events.log"), legacyLineOf(new byte[]{2, 'x', 2, 'y', (byte) 0xff, (byte) 0xff, 0x7f})
                + "2 00000000 0123456789abcdef AAAA\n", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        try (Outbox outbox = new Outbox(dir)) {
            outbox.append(event("mk-2"));
            List<Outbox.Entry> first = outbox.pending(10);
            assertThat(first).extracting(e -> e.event().getMsgKey()).as("stops before the unreadable line").containsExactly("mk-1");
            outbox.markReplayed(first.get(0).endOffset());
            List<Outbox.Entry> rest = outbox.pending(10);
            assertThat(rest).extracting(e -> e.event().getMsgKey()).containsExactly("mk-2");
            assertThat(outbox.quarantined()).isEqualTo(2);
        }
        String quarantine = Files.readString(dir.resolve("quarantine.log"));
        assertThat(quarantine).contains("0123456789abcdef is not in").contains("# ");
        assertThat(quarantine.lines().filter(l -> !l.startsWith("#")).count()).isEqualTo(2);
    }

    @Test
    void aSecondProcessOnTheSameOutboxIsRefusedWithTheReason(@TempDir Path dir) {
        try (Outbox first = new Outbox(dir)) {
            first.append(event("mk-1"));
            assertThatThrownBy(() -> new Outbox(dir)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another send-service process").hasMessageContaining("SEND_SERVICE_OUTBOX_DIR");
        }
        try (Outbox again = new Outbox(dir)) {
            assertThat(again.pending(10)).extracting(e -> e.event().getMsgKey()).containsExactly("mk-1");
        }
    }

    private static String legacyLineOf(byte[] avro) {
        CRC32 crc = new CRC32();
        crc.update(avro);
        return String.format("%08x", crc.getValue()) + " " + Base64.getEncoder().encodeToString(avro) + "\n";
    }
}
