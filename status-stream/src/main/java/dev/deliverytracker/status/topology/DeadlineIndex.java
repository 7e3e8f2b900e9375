package dev.deliverytracker.status.topology;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The second store: deliveries ordered by their next deadline. Keys are the deadline as 8 big-endian bytes
 * followed by the delivery key, so the byte order of the store is deadline order and a punctuation range-scans
 * exactly what is due, never the whole store. Values are empty.
 */
final class DeadlineIndex {

    /** The deadline of a delivery that has no timer. */
    static final long NONE = -1L;

    private static final byte[] EMPTY = new byte[0];
    private static final Bytes FROM = Bytes.wrap(new byte[0]);

    private final KeyValueStore<Bytes, byte[]> store;

    DeadlineIndex(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** Moves {@code key}'s entry from {@code oldDeadline} to {@code newDeadline} (either may be NONE, i.e. negative). */
    void move(String key, long oldDeadline, long newDeadline) {
        if (oldDeadline == newDeadline) {
            return;
        }
        if (oldDeadline >= 0) {
            store.delete(entry(oldDeadline, key));
        }
        if (newDeadline >= 0) {
            store.put(entry(newDeadline, key), EMPTY);
        }
    }

    /** One index entry that came due. */
    record Due(long deadline, String key) {
    }

    /** Up to {@code limit} entries whose deadline is at or before {@code now}, earliest first. */
    List<Due> due(long now, int limit) {
        List<Due> keys = new ArrayList<>();
        Bytes to = Bytes.wrap(ByteBuffer.allocate(8).putLong(now + 1).array()); // exclusive bound: deadlines <= now
        try (KeyValueIterator<Bytes, byte[]> it = store.range(FROM, to)) {
            while (it.hasNext() && keys.size() < limit) {
                KeyValue<Bytes, byte[]> next = it.next();
                byte[] raw = next.key.get();
                long deadline = ByteBuffer.wrap(raw, 0, 8).getLong();
                keys.add(new Due(deadline, new String(raw, 8, raw.length - 8, StandardCharsets.UTF_8)));
            }
        }
        return keys;
    }

    /** Removes one entry, e.g. a stale one whose delivery moved on. */
    void remove(Due due) {
        store.delete(entry(due.deadline(), due.key()));
    }

    static Bytes entry(long deadline, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(8 + k.length).putLong(deadline).put(k).array());
    }
}
