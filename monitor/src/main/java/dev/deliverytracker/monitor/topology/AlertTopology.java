package dev.deliverytracker.monitor.topology;

import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.monitor.dashboard.DashboardAggregator;
import dev.deliverytracker.schemas.serde.SingleObjectSerde;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The monitor's rule evaluation as a plain function:
 *
 * <pre>
 *   status ──▶ status-decoder ──┬──▶ dead-records (unreadable, with the reason)
 *                               └──▶ status-by-provider (repartition: key = provider) ──┬──▶ alert-evaluator ──▶ alerts
 *                                                                                        └──▶ dashboard-aggregator (its stores)
 * </pre>
 *
 * The repartition gives every provider's rules one owner task, so a rate is measured over all of the provider's
 * deliveries, not over the share that hashed to one partition. Topic names come from the catalogue; every node and
 * store is named, so a redeploy keeps its state.
 */
public final class AlertTopology {

    public static final String STATUS_SOURCE = "status-source";
    public static final String SPLIT = "decoded-";
    public static final String DEAD_RECORDS_SINK = "dead-records-sink";
    public static final String BY_PROVIDER = "status-by-provider";
    public static final String ALERTS_SINK = "alerts-sink";

    private AlertTopology() {
    }

    public static Topology build(AlertTopologyConfig config, SerdeSettings serdes) {
        TopicCatalogue topics = config.topics();
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, Object> decoded = builder
                .stream(topics.status().name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(STATUS_SOURCE))
                .process(() -> new StatusDecoder(topics.status().valueSerde(serdes).deserializer()), Named.as(StatusDecoder.NAME));
        decoded.split(Named.as(SPLIT))
                .branch((provider, value) -> value instanceof StatusDecoder.DeadRecord, Branched.withConsumer(dead -> dead
                        .map((k, v) -> KeyValue.pair(((StatusDecoder.DeadRecord) v).key(), ((StatusDecoder.DeadRecord) v).value()),
                                Named.as("dead-records-unwrap"))
                        .to(topics.deadRecords().name(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(DEAD_RECORDS_SINK)),
                        "dead"))
                .defaultBranch(Branched.withConsumer(statuses -> {
                    KStream<String, DeliveryStatus> byProvider = statuses
                            .mapValues(v -> (DeliveryStatus) v, Named.as("status-cast"))
                            .repartition(Repartitioned.<String, DeliveryStatus>as(BY_PROVIDER)
                                    .withKeySerde(Serdes.String())
                                    .withValueSerde(SingleObjectSerde.of(DeliveryStatus.class)));
                    byProvider.process(AlertEvaluator.supplier(config), Named.as(AlertEvaluator.NAME))
                            .to(topics.alerts().name(), Produced.with(topics.alerts().keySerde(serdes),
                                    topics.alerts().valueSerde(serdes)).withName(ALERTS_SINK));
                    byProvider.process(DashboardAggregator.supplier(config.dashboardRetention()), Named.as(DashboardAggregator.NAME));
                }, "status"));
        return builder.build();
    }
}
