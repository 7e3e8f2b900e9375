package dev.deliverytracker.status.state;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.Classification;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.SendOutcome;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Binary encoding of {@link TrackedDelivery} for the {@code deliveries} store and its changelog. Compact and
 * registry-free (the store is private to status-stream). The first byte is a format version: a new format adds a
 * version and keeps reading the old ones, so a redeploy reads the state its predecessor wrote.
 */
public final class TrackedDeliveryCodec implements Serde<TrackedDelivery>, Serializer<TrackedDelivery>, Deserializer<TrackedDelivery> {

    private static final byte VERSION_1 = 1;

    @Override
    public byte[] serialize(String topic, TrackedDelivery d) {
        if (d == null) {
            return null;
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION_1);
            out.writeUTF(d.msgKey);
            writeEnum(out, d.phase);
            out.writeLong(d.deadline);
            out.writeBoolean(d.sendSeen);
            writeEnum(out, d.outcome);
            writeString(out, d.requestId);
            writeString(out, d.provider);
            out.writeShort(d.flow.size());
            for (Channel c : d.flow) {
                writeEnum(out, c);
            }
            writeString(out, d.templateCode);
            writeString(out, d.origin);
            writeString(out, d.ref);
            out.writeLong(d.acceptedAt);
            out.writeLong(d.timeoutMillis);
            writeString(out, d.sendCode);
            writeString(out, d.sendText);
            writeAttempts(out, d.held);
            writeAttempts(out, d.attempts);
            out.writeBoolean(d.wasStuck);
            out.writeInt(d.duplicates);
            out.writeInt(d.contradictions);
            out.writeInt(d.sequence);
            writeEnum(out, d.status);
            writeEnum(out, d.classification);
            writeString(out, d.code);
            writeString(out, d.text);
            writeEnum(out, d.channel);
            out.writeLong(d.resolvedAt);
            out.writeBoolean(d.late);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new SerializationException("cannot encode delivery " + d.msgKey, e);
        }
    }

    @Override
    public TrackedDelivery deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            byte version = in.readByte();
            if (version != VERSION_1) {
                throw new SerializationException("unknown delivery state format " + version
                        + " in store: written by a newer status-stream? Roll back to it or reset the application.");
            }
            TrackedDelivery d = new TrackedDelivery();
            d.msgKey = in.readUTF();
            d.phase = readEnum(in, Phase.class);
            d.deadline = in.readLong();
            d.sendSeen = in.readBoolean();
            d.outcome = readEnum(in, SendOutcome.class);
            d.requestId = readString(in);
            d.provider = readString(in);
            int flowSize = in.readShort();
            for (int i = 0; i < flowSize; i++) {
                d.flow.add(readEnum(in, Channel.class));
            }
            d.templateCode = readString(in);
            d.origin = readString(in);
            d.ref = readString(in);
            d.acceptedAt = in.readLong();
            d.timeoutMillis = in.readLong();
            d.sendCode = readString(in);
            d.sendText = readString(in);
            d.held = readAttempts(in);
            d.attempts = readAttempts(in);
            d.wasStuck = in.readBoolean();
            d.duplicates = in.readInt();
            d.contradictions = in.readInt();
            d.sequence = in.readInt();
            d.status = readEnum(in, DeliveryState.class);
            d.classification = readEnum(in, Classification.class);
            d.code = readString(in);
            d.text = readString(in);
            d.channel = readEnum(in, Channel.class);
            d.resolvedAt = in.readLong();
            d.late = in.readBoolean();
            return d;
        } catch (IOException | IllegalArgumentException e) {
            throw new SerializationException("corrupt delivery state (" + data.length + " bytes)", e);
        }
    }

    @Override
    public Serializer<TrackedDelivery> serializer() {
        return this;
    }

    @Override
    public Deserializer<TrackedDelivery> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // nothing to configure
    }

    @Override
    public void close() {
        // stateless
    }

    private static void writeAttempts(DataOutputStream out, List<Attempt> attempts) throws IOException {
        out.writeShort(attempts.size());
        for (Attempt a : attempts) {
            writeEnum(out, a.channel());
            out.writeUTF(a.code());
            writeString(out, a.text());
            writeEnum(out, a.classification());
            out.writeLong(a.reportedAt());
        }
    }

    private static List<Attempt> readAttempts(DataInputStream in) throws IOException {
        int size = in.readShort();
        List<Attempt> attempts = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            attempts.add(new Attempt(readEnum(in, Channel.class), in.readUTF(), readString(in),
                    readEnum(in, Classification.class), in.readLong()));
        }
        return attempts;
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value.length() > 8_000 ? value.substring(0, 8_000) : value);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** Enums are stored by name, so adding or reordering symbols never misreads old state. */
    private static void writeEnum(DataOutputStream out, Enum<?> value) throws IOException {
        writeString(out, value == null ? null : value.name());
    }

    private static <E extends Enum<E>> E readEnum(DataInputStream in, Class<E> type) throws IOException {
        String name = readString(in);
        return name == null ? null : Enum.valueOf(type, name);
    }
}
