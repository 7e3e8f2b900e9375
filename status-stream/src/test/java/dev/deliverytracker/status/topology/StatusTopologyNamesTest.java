package dev.deliverytracker.status.topology;

import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.status.metrics.DeliveryMetrics;
import dev.deliverytracker.status.rules.StatusRules;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyDescription.Node;
import org.apache.kafka.streams.TopologyDescription.Processor;
import org.apache.kafka.streams.TopologyDescription.Sink;
import org.apache.kafka.streams.TopologyDescription.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins what a redeploy depends on: node names (task layout and processor wiring) and store names (their changelog topics,
 * {@code <application.id>-<store>-changelog}, hold every delivery's state). The names are written out as literals on
 * purpose: renaming a constant in the topology must fail here, because a renamed store starts empty in production.
 */
class StatusTopologyNamesTest {

    private static final String SCOPE = "status-topology-names";

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void nodeStoreAndTopicNamesArePinnedSoARedeployKeepsItsStateAndOffsets() {
        TopicCatalogue topics = TopicCatalogue.defaults(); // topic names are configuration: taken from the catalogue
        TopologyDescription description = StatusTopology.build(
                StatusTopologyConfig.defaults(topics, StatusRules.defaults()),
                new SerdeSettings(MockSchemaRegistry.scope(SCOPE), true), DeliveryMetrics.NONE).describe();

        assertThat(description.subtopologies()).hasSize(1); // sends and reports co-partitioned in one sub-topology
        List<Node> nodes = description.subtopologies().iterator().next().nodes().stream().toList();

        Map<String, Set<String>> sources = new TreeMap<>();
        Map<String, String> sinks = new TreeMap<>();
        Map<String, Set<String>> processors = new TreeMap<>();
        for (Node node : nodes) {
            if (node instanceof Source source) {
                sources.put(source.name(), source.topicSet());
            } else if (node instanceof Sink sink) {
                sinks.put(sink.name(), sink.topic());
            } else if (node instanceof Processor processor) {
                processors.put(processor.name(), new TreeSet<>(processor.stores()));
            }
        }
        assertThat(sources).isEqualTo(Map.of(
                "sends-source", Set.of(topics.sends().name()),
                "reports-source", Set.of(topics.reports().name())));
        assertThat(processors).isEqualTo(Map.of(
                "sends-decoder", Set.of(),
                "reports-decoder", Set.of(),
                "delivery-tracker", Set.of("deliveries", "delivery-deadlines", "delivery-phase-counts")));
        assertThat(sinks).isEqualTo(Map.of(
                "status-sink", topics.status().name(),
                "dead-records-sink", topics.deadRecords().name()));

        Map<String, Set<String>> wiring = nodes.stream().collect(Collectors.toMap(Node::name,
                n -> n.successors().stream().map(Node::name).collect(Collectors.toSet())));
        assertThat(wiring).isEqualTo(Map.of(
                "sends-source", Set.of("sends-decoder"),
                "reports-source", Set.of("reports-decoder"),
                "sends-decoder", Set.of("delivery-tracker", "dead-records-sink"),
                "reports-decoder", Set.of("delivery-tracker", "dead-records-sink"),
                "delivery-tracker", Set.of("status-sink", "dead-records-sink"),
                "status-sink", Set.of(),
                "dead-records-sink", Set.of()));
    }
}
