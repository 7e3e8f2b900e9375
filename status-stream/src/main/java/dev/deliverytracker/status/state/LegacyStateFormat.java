package dev.deliverytracker.status.state;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ChannelAttempt;
import dev.deliverytracker.events.Classification;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.SendOutcome;
import dev.deliverytracker.state.Phase;
import dev.deliverytracker.state.TrackedDelivery;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the state format status-stream wrote before the state had an Avro schema: a {@code DataOutputStream} layout
 * whose first byte is {@value #VERSION}. Read only: everything is written in single-object encoding now, so a
 * delivery moves to the new format the next time it changes, and the old one is gone from a store once the longest
 * timer has passed (max-age for pending deliveries, settled-retention for the rest). Delete this class after that.
 * {@code TrackedDeliverySerdeTest} reads golden bytes written by the old code, so the layout below is the one that
 * was written.
 */
final class LegacyStateFormat {

    /** The old format's first byte; single-object encoding starts with 0xC3, so the two cannot be confused. */
    static final byte VERSION = 1;

    private LegacyStateFormat() {
    }

    static TrackedDelivery read(byte[] data) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        if (in.readByte() != VERSION) {
            throw new IOException("not the legacy delivery state format");
        }
        TrackedDelivery d = DeliveryStateMachine.start(in.readUTF());
        d.setPhase(readEnum(in, Phase.class));
        d.setDeadline(in.readLong());
        d.setSendSeen(in.readBoolean());
        d.setOutcome(readEnum(in, SendOutcome.class));
        d.setRequestId(readString(in));
        d.setProvider(readString(in));
        int flowSize = in.readShort();
        for (int i = 0; i < flowSize; i++) {
            d.getFlow().add(readEnum(in, Channel.class));
        }
        d.setTemplateCode(readString(in));
        d.setOrigin(readString(in));
        d.setRef(readString(in));
        d.setAcceptedAt(unlessNone(in.readLong()));
        d.setTimeoutMillis(unlessNone(in.readLong()));
        d.setSendCode(readString(in));
        d.setSendText(readString(in));
        d.setHeld(readAttempts(in));
        d.setAttempts(readAttempts(in));
        d.setWasStuck(in.readBoolean());
        d.setDuplicates(in.readInt());
        d.setContradictions(in.readInt());
        d.setSequence(in.readInt());
        d.setStatus(readEnum(in, DeliveryState.class));
        d.setClassification(readEnum(in, Classification.class));
        d.setCode(readString(in));
        d.setText(readString(in));
        d.setChannel(readEnum(in, Channel.class));
        d.setResolvedAt(unlessNone(in.readLong()));
        d.setLate(in.readBoolean());
        if (d.getPhase() == null) {
            throw new IOException("legacy delivery state without a phase");
        }
        return d;
    }

    /** The old format wrote -1 for "not known". */
    private static Long unlessNone(long value) {
        return value < 0 ? null : value;
    }

    private static List<ChannelAttempt> readAttempts(DataInputStream in) throws IOException {
        int size = in.readShort();
        List<ChannelAttempt> attempts = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            attempts.add(new ChannelAttempt(readEnum(in, Channel.class), in.readUTF(), readString(in),
                    readEnum(in, Classification.class), Instant.ofEpochMilli(in.readLong())));
        }
        return attempts;
    }

    private static String readString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** Enums were written by name. */
    private static <E extends Enum<E>> E readEnum(DataInputStream in, Class<E> type) throws IOException {
        String name = readString(in);
        return name == null ? null : Enum.valueOf(type, name);
    }
}
