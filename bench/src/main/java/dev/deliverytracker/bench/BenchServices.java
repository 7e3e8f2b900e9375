package dev.deliverytracker.bench;

import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.schemas.fixtures.Events;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.registry.SchemaRegistryClients;
import dev.deliverytracker.schemas.registry.SchemaRegistryConfig;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.Topic;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the service benchmarks share: one service's Micronaut properties on a shared classpath, and Kafka clients. */
final class BenchServices {

    static final TopicCatalogue TOPICS = TopicCatalogue.defaults();

    private BenchServices() {
    }

    /**
     * Properties for {@code service} (send-service, webhook-ingest, status-stream or monitor) against the broker and the
     * {@code mock://scope} registry, over the service's own {@code application-<service>.yml}: start it with
     * {@code DeliveryService.<SERVICE>.start(props)}.
     */
    static Map<String, Object> props(String service, String bootstrap, String scope) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("kafka.bootstrap.servers", bootstrap);
        props.put("schema.registry.url", registryUrl(scope));
        props.put("schema.registry.auto-register", true);
        props.put("logger.levels.dev.deliverytracker", "ERROR");
        if (service.equals("status-stream")) {
            try {
                props.put("delivery.status-stream.state-dir", Files.createTempDirectory("bench-status-state").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            props.put("delivery.status-stream.application-id", "bench-" + UUID.randomUUID());
            // -DbenchOpts="-Dstreams.<kafka streams property>=<value>" tries a Kafka Streams setting
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("streams."))
                    .forEach(k -> props.put("delivery.status-stream." + k, System.getProperty(k)));
            // its query API address is announced to the group, so it needs a real port, not -1
                        props.put("micronaut.server.port", ChildJvms.freePort());
        }
        return props;
    }

    /** webhook-ingest with Bizgo's route ({@code /webhooks/bizgo}) signed with {@code secret}, from loopback only. */
    static Map<String, Object> bizgoWebhookProps(String bootstrap, String scope, String secret) {
        Map<String, Object> props = props("webhook-ingest", bootstrap, scope);
        props.put("delivery.webhooks.providers.bizgo.secrets", secret);
        props.put("delivery.webhooks.providers.bizgo.allowed-sources", "127.0.0.1");
        return props;
    }

    static void awaitUp(io.micronaut.runtime.server.EmbeddedServer server) {
        awaitUp(server, java.time.Duration.ofSeconds(60));
    }

    static void awaitUp(io.micronaut.runtime.server.EmbeddedServer server, java.time.Duration timeout) {
        dev.deliverytracker.support.HealthProbe.awaitUp(server.getApplicationContext().getEnvironment()
                .getProperty("micronaut.application.name", String.class, "the service"), server.getPort(), timeout);
    }

    /**
     * Serdes on the benchmark's registry: {@code scope} names an in-process {@code mock://} registry, or is the
     * {@code http://} URL of one the services in their own JVMs share ({@link ServiceUnderTest}).
     */
    static SerdeSettings serdes(String scope) {
        return new SerdeSettings(registryUrl(scope).startsWith("http")
                ? SchemaRegistryClients.fromMap(Map.of(SchemaRegistryConfig.URL, scope)) : MockSchemaRegistry.scope(scope), true);
    }

    /** The {@code schema.registry.url} for {@code scope}: itself when it is an HTTP URL, else {@code mock://scope}. */
    static String registryUrl(String scope) {
        return scope.startsWith("http://") ? scope : "mock://" + scope;
    }

    static KafkaProducer<String, SendEvent> sendsProducer(String bootstrap, String scope) {
        Topic<String, SendEvent> topic = TOPICS.sends();
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 1), topic.keySerde(serdes(scope)).serializer(), topic.valueSerde(serdes(scope)).serializer());
    }

    static <V> KafkaConsumer<String, V> readCommitted(String bootstrap, String scope, Topic<String, V> topic) {
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, System.getProperty("isolation", "read_committed"),
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10),
                topic.keySerde(serdes(scope)).deserializer(), topic.valueSerde(serdes(scope)).deserializer());
        consumer.subscribe(List.of(topic.name()));
        return consumer;
    }

    /** An accepted Bizgo AlimTalk send with an SMS fallback, as send-service records it (the tests' fixture). */
    static SendEvent accepted(String msgKey, Instant at) {
        return Events.acceptedSend(msgKey, at).build();
    }

    /** p50, p99 and max of {@code millis}, formatted for the tables. */
    static String percentiles(List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        if (sorted.isEmpty()) {
            return "| - | - | - |";
        }
        return String.format(java.util.Locale.ROOT, "| %d ms | %d ms | %d ms |", sorted.get(sorted.size() / 2),
                sorted.get(p99Index(sorted.size())), sorted.get(sorted.size() - 1));
    }

    /** The index of the 99th percentile (nearest rank) in a sorted list of {@code size} values. */
    static int p99Index(int size) {
        return (int) Math.min(size - 1, Math.ceil(size * 0.99) - 1);
    }
}
