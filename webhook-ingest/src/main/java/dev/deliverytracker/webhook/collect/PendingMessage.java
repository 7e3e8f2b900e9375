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
 * A message SENS accepted whose result is not known yet, as the collector's store keeps it (key: its msgKey).
 *
 * @param requestId  SENS's request id (asked about as a whole)
 * @param messageId  SENS's message id within it
 * @param acceptedAt when SENS accepted it (epoch ms)
 * @param nextAskAt  when to ask next (epoch ms)
 * @param asks       how many times it was asked about
 * @param settled    its result was written (kept until {@code give-up-after}, so a re-published send is not collected
 *                   and reported again)
 */
public record PendingMessage(String requestId, String messageId, long acceptedAt, long nextAskAt, int asks, boolean settled) {

    /** The store's encoding: a version byte, then the fields; a new field means a new version, read beside the old. */
    private static final byte VERSION = 1;

    PendingMessage askedAgainAt(long next) {
        return new PendingMessage(requestId, messageId, acceptedAt, next, asks + 1, false);
    }

    PendingMessage settledNow() {
        return new PendingMessage(requestId, messageId, acceptedAt, Long.MAX_VALUE, asks, true);
    }

    static Serde<PendingMessage> serde() {
        Serializer<PendingMessage> serializer = (topic, m) -> {
            if (m == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(VERSION);
                out.writeUTF(m.requestId());
                out.writeUTF(m.messageId());
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
                    throw new IllegalStateException("a pending SENS message stored in format " + version + ", this version reads " + VERSION);
                }
                return new PendingMessage(in.readUTF(), in.readUTF(), in.readLong(), in.readLong(), in.readInt(), in.readBoolean());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
