package dev.deliverytracker.monitor.notify;

import dev.deliverytracker.events.DeliveryAlert;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import jakarta.inject.Singleton;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads alerts-topic values with the catalogue's serde (Confluent wire format), for the channels' listeners, which
 * receive raw bytes. A value that cannot be read is logged and counted, never retried in a loop: the monitor is the
 * topic's only writer, so such a value is a bug to look at, not something a retry fixes.
 */
@Singleton
public class AlertDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDecoder.class);

    private final Deserializer<DeliveryAlert> deserializer;
    private final String topic;
    private final NotificationMetrics metrics;

    public AlertDecoder(TopicCatalogue topics, SerdeSettings serdes, NotificationMetrics metrics) {
        this.deserializer = topics.alerts().valueSerde(serdes).deserializer();
        this.topic = topics.alerts().name();
        this.metrics = metrics;
    }

    public List<DeliveryAlert> decode(String channel, List<byte[]> values) {
        List<DeliveryAlert> alerts = new ArrayList<>(values.size());
        for (byte[] value : values) {
            try {
                DeliveryAlert alert = deserializer.deserialize(topic, value);
                if (alert != null) {
                    alerts.add(alert);
                }
            } catch (RuntimeException e) {
                LOG.error("{}: an alert on {} cannot be read and is skipped: {}", channel, topic, e.getMessage());
                metrics.unreadable(channel);
            }
        }
        return alerts;
    }
}
