package dev.deliverytracker.schemas.topics;

import org.apache.kafka.common.serialization.Serde;

import java.util.Objects;
import java.util.function.Function;

/**
 * One topic: its identity, its physical name and how its keys and values are (de)serialised. Immutable; obtained
 * from a {@link TopicCatalogue}.
 */
public final class Topic<K, V> {

    private final TopicId id;
    private final String name;
    private final Function<SerdeSettings, Serde<K>> keySerdes;
    private final Function<SerdeSettings, Serde<V>> valueSerdes;

    Topic(TopicId id, String name, Function<SerdeSettings, Serde<K>> keySerdes, Function<SerdeSettings, Serde<V>> valueSerdes) {
        this.id = id;
        this.name = name;
        this.keySerdes = keySerdes;
        this.valueSerdes = valueSerdes;
    }

    public TopicId id() {
        return id;
    }

    /** The physical topic name. */
    public String name() {
        return name;
    }

    public Serde<K> keySerde(SerdeSettings settings) {
        return keySerdes.apply(settings);
    }

    /** A new value serde bound to {@code settings}' registry; value serdes need the registry for schema ids. */
    public Serde<V> valueSerde(SerdeSettings settings) {
        return valueSerdes.apply(settings);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Topic<?, ?> other && id == other.id && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, name);
    }

    @Override
    public String toString() {
        return id.id() + "=" + name;
    }
}
