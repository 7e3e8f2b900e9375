package dev.deliverytracker.webhook.collect;

import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.schemas.serde.SingleObjectSerde;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * {@code delivery.sends} → the accepted SENS sends, re-keyed by SENS's requestId ({@value #BY_REQUEST}, so all the
 * messages of one SENS request are in one task and it is asked about once, not once per partition) →
 * {@link SensResultCollector} (its store of unsettled messages, its punctuator asking SENS) → {@code delivery.reports}
 * (keyed by msgKey again). Every node named, so a redeploy keeps its state.
 */
public final class SensCollectorTopology {

    public static final String SENDS_SOURCE = "sens-sends-source";
    public static final String COLLECTED = "sens-collected-sends";
    public static final String BY_REQUEST_KEY = "sens-by-request-key";
    public static final String BY_REQUEST = "sens-by-request";
    public static final String REPORTS_SINK = "sens-reports-sink";

    private SensCollectorTopology() {
    }

    public static Topology build(TopicCatalogue topics, SerdeSettings serdes, SensResultCollector.SensCollectorConfig config,
                                 SensResultsClient client, CollectorMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topics.sends().name(), Consumed.with(Serdes.String(), topics.sends().valueSerde(serdes)).withName(SENDS_SOURCE))
                .filter((key, send) -> SensResultCollector.collects(send, metrics), Named.as(COLLECTED))
                .selectKey((key, send) -> SensResultCollector.requestIdOf(send.getMsgKey()), Named.as(BY_REQUEST_KEY))
                .repartition(Repartitioned.<String, SendEvent>as(BY_REQUEST).withKeySerde(Serdes.String())
                        .withValueSerde(SingleObjectSerde.of(SendEvent.class)))
                .process(SensResultCollector.supplier(config, client, metrics), Named.as(SensResultCollector.NAME))
                .to(topics.reports().name(), Produced.with(Serdes.String(), topics.reports().valueSerde(serdes)).withName(REPORTS_SINK));
        return builder.build();
    }
}
