package dev.deliverytracker.webhook.collect;

import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.schemas.serde.SingleObjectSerde;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

import java.util.List;

/**
 * {@code delivery.sends} → per collected provider: its accepted sends, re-keyed by group ({@code <provider>-by-group},
 * so all the messages of one group are in one task and it is asked about once, not once per partition) →
 * {@link ResultCollector} (its store of unsettled messages, its punctuator asking the provider) → {@code delivery.reports}
 * (keyed by msgKey again). Every node named, so a redeploy keeps its state.
 */
public final class CollectorTopology {

    public static final String SENDS_SOURCE = "collector-sends-source";

    /** One provider to collect: its result API and its timings. */
    public record Collected(ResultSource source, CollectorConfig config) {
    }

    private CollectorTopology() {
    }

    public static Topology build(TopicCatalogue topics, SerdeSettings serdes, List<Collected> providers, CollectorMetrics metrics) {
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("no provider to collect results from");
        }
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, SendEvent> sends = builder.stream(topics.sends().name(),
                Consumed.with(Serdes.String(), topics.sends().valueSerde(serdes)).withName(SENDS_SOURCE));
        for (Collected collected : providers) {
            ResultSource source = collected.source();
            String provider = source.provider();
            sends.filter((key, send) -> ResultCollector.collects(send, source, metrics), Named.as(provider + "-collected-sends"))
                    .selectKey((key, send) -> source.pending(send, 0).orElseThrow().group(), Named.as(provider + "-by-group-key"))
                    .repartition(Repartitioned.<String, SendEvent>as(provider + "-by-group").withKeySerde(Serdes.String())
                            .withValueSerde(SingleObjectSerde.of(SendEvent.class)))
                    .process(ResultCollector.supplier(collected.config(), source, metrics), Named.as(ResultCollector.processorName(provider)))
                    .to(topics.reports().name(), Produced.with(Serdes.String(), topics.reports().valueSerde(serdes))
                            .withName(provider + "-reports-sink"));
        }
        return builder.build();
    }
}
