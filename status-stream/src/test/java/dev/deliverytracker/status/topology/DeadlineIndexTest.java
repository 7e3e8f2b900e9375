package dev.deliverytracker.status.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The deadline index over Kafka's in-memory key-value store (the same byte ordering RocksDB gives). */
class DeadlineIndexTest {

    private KeyValueStore<Bytes, byte[]> store;
    private DeadlineIndex index;

    @BeforeEach
    void open() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("deadlines-test"), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        store.init(new org.apache.kafka.streams.processor.api.MockProcessorContext<>().getStateStoreContext(), store);
        index = new DeadlineIndex(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void dueReturnsOnlyWhatIsAtOrBeforeNowEarliestFirstAndBounded() {
        index.move("c", DeadlineIndex.NONE, 3_000);
        index.move("a", DeadlineIndex.NONE, 1_000);
        index.move("b", DeadlineIndex.NONE, 2_000);
        index.move("late", DeadlineIndex.NONE, 2_001);
        assertThat(index.due(2_000, 10)).containsExactly(new DeadlineIndex.Due(1_000, "a"), new DeadlineIndex.Due(2_000, "b"));
        assertThat(index.due(5_000, 2)).containsExactly(new DeadlineIndex.Due(1_000, "a"), new DeadlineIndex.Due(2_000, "b"));
        assertThat(index.due(999, 10)).isEmpty();
    }

    @Test
    void moveReplacesTheOldEntryAndNoneRemovesIt() {
        index.move("k", DeadlineIndex.NONE, 1_000);
        index.move("k", 1_000, 5_000);
        assertThat(index.due(4_999, 10)).isEmpty();
        assertThat(index.due(5_000, 10)).containsExactly(new DeadlineIndex.Due(5_000, "k"));
        index.move("k", 5_000, DeadlineIndex.NONE);
        assertThat(index.due(Long.MAX_VALUE - 1, 10)).isEmpty();
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void keysThatShareAPrefixAndKoreanKeysComeBackWhole() {
        index.move("mk-1", DeadlineIndex.NONE, 7);
        index.move("mk-10", DeadlineIndex.NONE, 7);
        index.move("메시지-1", DeadlineIndex.NONE, 7);
        assertThat(index.due(7, 10)).extracting(DeadlineIndex.Due::key).containsExactlyInAnyOrder("mk-1", "mk-10", "메시지-1");
        index.remove(new DeadlineIndex.Due(7, "mk-1"));
        assertThat(index.due(7, 10)).extracting(DeadlineIndex.Due::key).containsExactlyInAnyOrder("mk-10", "메시지-1");
    }
}
