package dev.deliverytracker.webhook.collect;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A message a provider accepted whose result is not known yet, as the collector's store keeps it (key: its msgKey).
 *
 * @param group      what it is asked about with (SENS's requestId, Aligo's mid)
 * @param ref        how the provider's answer names it within the group (SENS's messageId, Aligo's position)
 * @param match      what else matches it to the answer (Aligo: the keyed recipient hash), or empty
 * @param acceptedAt when SENS accepted it (epoch ms)
 * @param nextAskAt  when to ask next (epoch ms)
 * @param asks       how many times it was asked about
 * @param settled    its result was written (kept until {@code give-up-after}, so a re-published send is not collected
 *                   and reported again)
 */
public record PendingMessage(String group, String ref, String match, long acceptedAt, long nextAskAt, int asks, boolean settled) {

    /** The store's encoding: a version byte, then the fields; a new field means a new version, read beside the old. */
    private static final byte VERSION = 1;

    PendingMessage askedAgainAt(long next) {
        return new PendingMessage(group, ref, match, acceptedAt, next, asks + 1, false);
    }

    PendingMessage settledNow() {
        return new PendingMessage(group, ref, match, acceptedAt, Long.MAX_VALUE, asks, true);
    }

    static Serde<PendingMessage> serde() {
        Serializer<PendingMessage> serializer = (topic, m) -> {
            if (m == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(VERSION);
                out.writeUTF(m.group());
                out.writeUTF(m.ref());
                out.writeUTF(m.match() == null ? "" : m.match());
                out.writeLong(m.acceptedAt());
                out.writeLong(m.nextAskAt());
                out.writeInt(m.asks());
                out.writeBoolean(m.settled());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        };
        Deserializer<PendingMessage> deserializer = (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                byte version = in.readByte();
                if (version != VERSION) {
                    throw new IllegalStateException("a pending message stored in format " + version + ", this version reads " + VERSION);
                }
                return new PendingMessage(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong(), in.readLong(), in.readInt(), in.readBoolean());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
