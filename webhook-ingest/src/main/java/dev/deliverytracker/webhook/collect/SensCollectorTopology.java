package dev.deliverytracker.webhook.collect;

import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * {@code delivery.sends} → {@link SensResultCollector} (its store of unsettled SENS messages, its punctuator asking
 * SENS) → {@code delivery.reports}. Every node named, so a redeploy keeps its state.
 */
public final class SensCollectorTopology {

    public static final String SENDS_SOURCE = "sens-sends-source";
    public static final String REPORTS_SINK = "sens-reports-sink";

    private SensCollectorTopology() {
    }

    public static Topology build(TopicCatalogue topics, SerdeSettings serdes, SensResultCollector.SensCollectorConfig config,
                                 SensResultsClient client, CollectorMetrics metrics) {
        Topology topology = new Topology();
        topology.addSource(SENDS_SOURCE, Serdes.String().deserializer(), topics.sends().valueSerde(serdes).deserializer(), topics.sends().name());
        topology.addProcessor(SensResultCollector.NAME, SensResultCollector.supplier(config, client, metrics), SENDS_SOURCE);
        topology.addSink(REPORTS_SINK, topics.reports().name(), Serdes.String().serializer(), topics.reports().valueSerde(serdes).serializer(),
                SensResultCollector.NAME);
        return topology;
    }
}
