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
 * The status-stream topology as a plain function: each input topic, read as bytes, into its {@link InputDecoder};
 * both decoders into the {@link DeliveryTracker}; statuses to the status topic; records that cannot be read or applied
 * to the dead-records topic. Topic names come from the catalogue in the config, never from here. Every node is named,
 * so a redeploy keeps its state and its offsets.
 */
public final class StatusTopology {

    public static final String SENDS_SOURCE = "sends-source";
    public static final String REPORTS_SOURCE = "reports-source";
    public static final String SENDS_DECODER = "sends-decoder";
    public static final String REPORTS_DECODER = "reports-decoder";
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
        topology.addProcessor(SENDS_DECODER, InputDecoder.sends(topics.sends().name(),
                topics.sends().valueSerde(serdes).deserializer(), metrics, DeliveryTracker.NAME, DEAD_RECORDS_SINK), SENDS_SOURCE);
        topology.addProcessor(REPORTS_DECODER, InputDecoder.reports(topics.reports().name(),
                topics.reports().valueSerde(serdes).deserializer(), metrics, DeliveryTracker.NAME, DEAD_RECORDS_SINK), REPORTS_SOURCE);
        topology.addProcessor(DeliveryTracker.NAME, DeliveryTracker.supplier(config, metrics, STATUS_SINK, DEAD_RECORDS_SINK),
                SENDS_DECODER, REPORTS_DECODER);
        topology.addSink(STATUS_SINK, topics.status().name(), statusKeys, statusValues, DeliveryTracker.NAME);
        topology.addSink(DEAD_RECORDS_SINK, topics.deadRecords().name(), new ByteArraySerializer(), new ByteArraySerializer(),
                SENDS_DECODER, REPORTS_DECODER, DeliveryTracker.NAME);
        return topology;
    }
}
