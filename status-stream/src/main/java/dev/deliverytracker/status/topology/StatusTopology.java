package dev.deliverytracker.status.topology;

import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.status.metrics.DeliveryMetrics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;

/**
 * The status-stream topology as a plain function: both input topics, read as bytes, into the
 * {@link DeliveryTrackerProcessor}; statuses to the status topic, unreadable records to the dead-records topic.
 * Topic names come from the catalogue in the config, never from here. Every node is named, so a redeploy keeps
 * its state and its offsets.
 */
public final class StatusTopology {

    public static final String SENDS_SOURCE = "sends-source";
    public static final String REPORTS_SOURCE = "reports-source";
    public static final String STATUS_SINK = "status-sink";
    public static final String DEAD_RECORDS_SINK = "dead-records-sink";

    private StatusTopology() {
    }

    public static Topology build(StatusTopologyConfig config, SerdeSettings serdes, DeliveryMetrics metrics) {
        TopicCatalogue topics = config.topics();
        Serializer<String> statusKeys = topics.status().keySerde(serdes).serializer();
        Serializer<DeliveryStatus> statusValues = topics.status().valueSerde(serdes).serializer();

        Topology topology = new Topology();
        topology.addSource(SENDS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.sends().name());
        topology.addSource(REPORTS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.reports().name());
        topology.addProcessor(DeliveryTrackerProcessor.NAME,
                DeliveryTrackerProcessor.supplier(config,
                        topics.sends().valueSerde(serdes).deserializer(),
                        topics.reports().valueSerde(serdes).deserializer(),
                        metrics, STATUS_SINK, DEAD_RECORDS_SINK),
                SENDS_SOURCE, REPORTS_SOURCE);
        topology.addSink(STATUS_SINK, topics.status().name(), statusKeys, statusValues, DeliveryTrackerProcessor.NAME);
        topology.addSink(DEAD_RECORDS_SINK, topics.deadRecords().name(), new ByteArraySerializer(), new ByteArraySerializer(),
                DeliveryTrackerProcessor.NAME);
        return topology;
    }
}
