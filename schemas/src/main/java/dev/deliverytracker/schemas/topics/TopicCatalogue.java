package dev.deliverytracker.schemas.topics;

import dev.deliverytracker.events.DeliveryAlert;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.schemas.serde.AvroSerde;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.serialization.Serdes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one immutable catalogue of the pipeline's topics, their physical names and serdes.
 *
 * <p>Names default to {@link TopicId#defaultName()} and are overridden with {@code delivery.topics.<id>} keys
 * ({@code delivery.topics.sends=prod.delivery.sends}). Building a catalogue validates it: an illegal or blank name,
 * two topics with one name, or an unknown {@code delivery.topics.*} key (a typo) fails at start-up with a message
 * naming the key.
 */
public final class TopicCatalogue {

    public static final String CONFIG_PREFIX = "delivery.topics.";

    private final Topic<String, SendEvent> sends;
    private final Topic<String, ProviderReport> reports;
    private final Topic<String, DeliveryStatus> status;
    private final Topic<byte[], byte[]> deadRecords;
    private final Topic<String, DeliveryAlert> alerts;

    private TopicCatalogue(Map<TopicId, String> names) {
        this.sends = new Topic<>(TopicId.SENDS, names.get(TopicId.SENDS), s -> Serdes.String(),
                s -> AvroSerde.of(SendEvent.class, s.registry(), s.autoRegister(), false));
        this.reports = new Topic<>(TopicId.REPORTS, names.get(TopicId.REPORTS), s -> Serdes.String(),
                s -> AvroSerde.of(ProviderReport.class, s.registry(), s.autoRegister(), false));
        this.status = new Topic<>(TopicId.STATUS, names.get(TopicId.STATUS), s -> Serdes.String(),
                s -> AvroSerde.of(DeliveryStatus.class, s.registry(), s.autoRegister(), false));
        this.deadRecords = new Topic<>(TopicId.DEAD_RECORDS, names.get(TopicId.DEAD_RECORDS), s -> Serdes.ByteArray(),
                s -> Serdes.ByteArray());
        this.alerts = new Topic<>(TopicId.ALERTS, names.get(TopicId.ALERTS), s -> Serdes.String(),
                s -> AvroSerde.of(DeliveryAlert.class, s.registry(), s.autoRegister(), false));
    }

    /** The catalogue with every default name. */
    public static TopicCatalogue defaults() {
        return fromConfig(Map.of());
    }

    /**
     * The catalogue named by the {@code delivery.topics.*} entries of {@code config}; other keys are ignored, so a
     * whole application config may be passed.
     */
    public static TopicCatalogue fromConfig(Map<String, ?> config) {
        Map<String, TopicId> byKey = new HashMap<>();
        for (TopicId id : TopicId.values()) {
            byKey.put(id.configKey(), id);
        }
        Map<TopicId, String> names = new EnumMap<>(TopicId.class);
        for (TopicId id : TopicId.values()) {
            names.put(id, id.defaultName());
        }
        for (Map.Entry<String, ?> entry : config.entrySet()) {
            if (!entry.getKey().startsWith(CONFIG_PREFIX)) {
                continue;
            }
            TopicId id = byKey.get(entry.getKey());
            if (id == null) {
                throw new ConfigException(entry.getKey(), entry.getValue(), "unknown topic; known keys are " + byKey.keySet());
            }
            String name = entry.getValue() == null ? "" : entry.getValue().toString().trim();
            try {
                org.apache.kafka.common.internals.Topic.validate(name);
            } catch (InvalidTopicException e) {
                throw new ConfigException(entry.getKey(), entry.getValue(), e.getMessage());
            }
            names.put(id, name);
        }
        Map<String, TopicId> seen = new HashMap<>();
        for (Map.Entry<TopicId, String> entry : names.entrySet()) {
            TopicId other = seen.putIfAbsent(entry.getValue(), entry.getKey());
            if (other != null) {
                throw new ConfigException(entry.getKey().configKey(), entry.getValue(),
                        "the same topic is also configured for " + other.configKey() + "; every topic needs its own name");
            }
        }
        return new TopicCatalogue(names);
    }

    public Topic<String, SendEvent> sends() {
        return sends;
    }

    public Topic<String, ProviderReport> reports() {
        return reports;
    }

    public Topic<String, DeliveryStatus> status() {
        return status;
    }

    public Topic<byte[], byte[]> deadRecords() {
        return deadRecords;
    }

    public Topic<String, DeliveryAlert> alerts() {
        return alerts;
    }

    public List<Topic<?, ?>> all() {
        List<Topic<?, ?>> all = new ArrayList<>(List.of(sends, reports, status, deadRecords, alerts));
        return Collections.unmodifiableList(all);
    }

    /** The physical name of a topic. */
    public String name(TopicId id) {
        return all().stream().filter(t -> t.id() == id).findFirst().orElseThrow().name();
    }

    @Override
    public String toString() {
        return "TopicCatalogue" + all();
    }
}
