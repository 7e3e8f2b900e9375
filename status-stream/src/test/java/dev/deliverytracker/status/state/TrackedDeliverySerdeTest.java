package dev.deliverytracker.status.state;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ChannelAttempt;
import dev.deliverytracker.events.Classification;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.SendOutcome;
import dev.deliverytracker.state.Phase;
import dev.deliverytracker.state.TrackedDelivery;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Golden bytes: state written by earlier code is read by this one. {@code state-golden/*-v0-dataoutput.hex} were
 * written by the hand-versioned codec the store used before the state had an Avro schema;
 * {@code *-v1-single-object.hex} by the first Avro schema of {@link TrackedDelivery}, {@code *-v2-single-object.hex} by
 * the second (the masked recipient added). Never regenerate a golden file
 * to make this test pass: a failure means a redeploy would misread (or refuse) the state already in production
 * stores. A schema change adds a version under {@code schema-history} (guarded by {@code SchemaEvolutionTest}) and a
 * new golden file; the old files stay.
 */
class TrackedDeliverySerdeTest {

    private final TrackedDeliverySerde serde = new TrackedDeliverySerde();

    @Test
    void stateWrittenByTheLegacyCodecIsReadField_byField() throws IOException {
        assertThat(read(golden("settled-v0-dataoutput.hex"))).isEqualTo(settled());
        assertThat(read(golden("orphan-v0-dataoutput.hex"))).isEqualTo(orphan());
    }

    @Test
    void stateWrittenWithTheFirstSchemaIsReadWithoutTheFieldsAddedSince() throws IOException {
        byte[] settled = golden("settled-v1-single-object.hex");
        byte[] orphan = golden("orphan-v1-single-object.hex");
        assertThat(read(settled)).isEqualTo(settled());
        assertThat(read(settled).getRecipientMasked()).as("added in v2: absent in v1 state").isNull();
        assertThat(read(orphan)).isEqualTo(orphan());
        assertThat(settled[0]).as("single-object marker").isEqualTo((byte) 0xC3);
    }

    @Test
    void stateWrittenTodayIsTheSecondSchemasBytes() throws IOException {
        byte[] settled = golden("settled-v2-single-object.hex");
        byte[] orphan = golden("orphan-v2-single-object.hex");
        TrackedDelivery withRecipient = settled();
        withRecipient.setRecipientMasked("010-****-5678");
        assertThat(read(settled)).isEqualTo(withRecipient);
        assertThat(read(orphan)).isEqualTo(orphan());
        // written today: the same bytes, so the v2 files are what production stores hold from now on
        assertThat(serde.serializer().serialize("deliveries", withRecipient)).isEqualTo(settled);
        assertThat(serde.serializer().serialize("deliveries", orphan())).isEqualTo(orphan);
    }

    @Test
    void koreanTextAndLongStringsSurviveWhole() {
        TrackedDelivery d = settled();
        d.setSendText("긴 안내문 ".repeat(5_000)); // 30,000 characters: the legacy codec cut strings at 8,000
        TrackedDelivery back = read(serde.serializer().serialize("deliveries", d));
        assertThat(back.getSendText()).hasSize(30_000).isEqualTo(d.getSendText());
    }

    @Test
    void aStateOverTheLimitIsRefusedWhenWritten() {
        TrackedDelivery d = settled();
        d.setSendText("x".repeat(TrackedDeliverySerde.MAX_BYTES));
        assertThatThrownBy(() -> serde.serializer().serialize("deliveries", d))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("mk-golden-1")
                .hasMessageContaining("over the limit of " + TrackedDeliverySerde.MAX_BYTES);
    }

    @Test
    void corruptOrForeignBytesAreRefusedWithTheReasonNeverMisread() {
        byte[] good = serde.serializer().serialize("deliveries", settled());
        byte[] unknownSchema = good.clone();
        unknownSchema[5] ^= 0x55; // another fingerprint: written by a schema this version does not know
        assertThatThrownBy(() -> read(unknownSchema)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("TrackedDelivery");
        byte[] truncatedLegacy = java.util.Arrays.copyOf(HexFormat.of().parseHex("01000b6d6b"), 5);
        assertThatThrownBy(() -> read(truncatedLegacy)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("legacy");
        assertThatThrownBy(() -> read("garbage".getBytes(StandardCharsets.UTF_8))).isInstanceOf(SerializationException.class);
        assertThat(serde.deserializer().deserialize("deliveries", null)).isNull();
    }

    private TrackedDelivery read(byte[] bytes) {
        return serde.deserializer().deserialize("deliveries", bytes);
    }

    private static byte[] golden(String name) throws IOException {
        try (InputStream in = TrackedDeliverySerdeTest.class.getResourceAsStream("/state-golden/" + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
    }

    /** The delivery the settled golden files hold: every field set, Korean text, a fallback history. */
    static TrackedDelivery settled() {
        TrackedDelivery d = DeliveryStateMachine.start("mk-golden-1");
        d.setPhase(Phase.SETTLED);
        d.setDeadline(1_764_900_000_000L);
        d.setSendSeen(true);
        d.setOutcome(SendOutcome.ACCEPTED);
        d.setRequestId("req-golden-1");
        d.setProvider("bizgo");
        d.setFlow(new ArrayList<>(List.of(Channel.ALIMTALK, Channel.SMS)));
        d.setTemplateCode("주문완료_01");
        d.setOrigin("order-service");
        d.setRef("order-42");
        d.setAcceptedAt(1_764_720_000_000L);
        d.setTimeoutMillis(600_000L);
        d.setSendCode("A000");
        d.setSendText("성공");
        d.getAttempts().add(new ChannelAttempt(Channel.ALIMTALK, "30001", "카카오톡 미사용자", Classification.PERMANENT_FAILURE,
                Instant.ofEpochMilli(1_764_720_005_000L)));
        d.getAttempts().add(new ChannelAttempt(Channel.SMS, "10000", null, Classification.DELIVERED,
                Instant.ofEpochMilli(1_764_720_009_000L)));
        d.setWasStuck(true);
        d.setDuplicates(2);
        d.setContradictions(1);
        d.setSequence(4);
        d.setStatus(DeliveryState.SENT);
        d.setClassification(Classification.DELIVERED);
        d.setCode("10000");
        d.setChannel(Channel.SMS);
        d.setResolvedAt(1_764_720_009_000L);
        d.setLate(true);
        return d;
    }

    /** The delivery the orphan golden files hold: a report held before its send, most fields unknown. */
    static TrackedDelivery orphan() {
        TrackedDelivery d = DeliveryStateMachine.start("mk-golden-2");
        d.setPhase(Phase.ORPHAN);
        d.setDeadline(1_764_720_130_000L);
        d.setProvider("bizgo");
        d.getHeld().add(new ChannelAttempt(Channel.ALIMTALK, "10000", "성공", Classification.DELIVERED,
                Instant.ofEpochMilli(1_764_720_010_000L)));
        return d;
    }
}
