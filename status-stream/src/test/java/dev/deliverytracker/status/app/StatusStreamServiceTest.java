package dev.deliverytracker.status.app;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaExtension;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.status.topology.DeliveryTrackerProcessor;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static dev.deliverytracker.schemas.fixtures.Events.acceptedSend;
import static dev.deliverytracker.schemas.fixtures.Events.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * status-stream as a service: the real Netty server, the real Kafka Streams app on the embedded broker, the query
 * API on one and on two instances, health and metrics, and the refusal to start on non-co-partitioned inputs.
 */
class StatusStreamServiceTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String REGISTRY = "status-stream-service";
    private static final Instant NOW = Instant.now();

    @AfterAll
    static void dropRegistry() {
        MockSchemaRegistry.dropScope(REGISTRY);
    }

    @Test
    void answersWhatHappenedToAMessageThroughTheRealServer(@TempDir Path state) {
        TopicCatalogue topics = topics("one");
        createTopics(topics, 3, 3);
        try (EmbeddedServer server = start("one", topics, state)) {
            awaitRunning(server);
            produce(topics, acceptedSend("mk-a", NOW).build(), report("mk-a", Channel.ALIMTALK, "10000", NOW.plusSeconds(1)).build());
            produce(topics, acceptedSend("mk-b", NOW).build(), null);
            BlockingHttpClient http = client(server);

            await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(HttpClientResponseException.class).untilAsserted(() -> {
                Map<?, ?> body = http.retrieve(HttpRequest.GET("/v1/deliveries/mk-a"), Map.class);
                assertThat(body.get("status")).isEqualTo("SENT");
                assertThat(body.get("channel")).isEqualTo("ALIMTALK");
                assertThat(body.get("phase")).isEqualTo("SETTLED");
            });
            await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(HttpClientResponseException.class).untilAsserted(() ->
                    assertThat(http.retrieve(HttpRequest.GET("/v1/deliveries/mk-b"), Map.class).get("status")).isEqualTo("PENDING"));

            assertThatThrownBy(() -> http.exchange(HttpRequest.GET("/v1/deliveries/never-sent"), Map.class))
                    .isInstanceOfSatisfying(HttpClientResponseException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(404);
                        assertThat(e.getResponse().getContentType()).hasValueSatisfying(
                                t -> assertThat(t.toString()).isEqualTo("application/problem+json"));
                        assertThat(e.getResponse().getBody(Map.class)).hasValueSatisfying(
                                b -> assertThat(b.get("detail").toString()).contains("never-sent"));
                    });

            Map<?, ?> health = http.retrieve(HttpRequest.GET("/health"), Map.class);
            assertThat(health.get("status")).isEqualTo("UP");
            assertThat(health.toString()).contains("kafkaStreams").contains("RUNNING");

            String metrics = http.retrieve(HttpRequest.GET("/prometheus"), String.class);
            assertThat(metrics).contains("delivery_statuses_total{classification=\"DELIVERED\",provider=\"bizgo\",status=\"SENT\"}");
            assertThat(metrics).contains("delivery_tracked{phase=\"PENDING\"} 1.0");
            assertThat(metrics).contains("delivery_punctuation_seconds");
        }
    }

    @Test
    void aKeyOwnedByTheOtherInstanceIsAnsweredByAskingIt(@TempDir Path stateA, @TempDir Path stateB) {
        TopicCatalogue topics = topics("two");
        createTopics(topics, 4, 4);
        try (EmbeddedServer a = start("two", topics, stateA); EmbeddedServer b = start("two", topics, stateB)) {
            KafkaStreams streamsA = a.getApplicationContext().getBean(KafkaStreams.class);
            await().atMost(Duration.ofSeconds(90)).until(() ->
                    streamsA.state() == KafkaStreams.State.RUNNING
                            && b.getApplicationContext().getBean(KafkaStreams.class).state() == KafkaStreams.State.RUNNING
                            && streamsA.metadataForAllStreamsClients().size() == 2
                            && streamsA.metadataForAllStreamsClients().stream().allMatch(m -> !m.topicPartitions().isEmpty()));
            String ownedByB = null;
            for (int i = 0; i < 100 && ownedByB == null; i++) {
                KeyQueryMetadata md = streamsA.queryMetadataForKey(DeliveryTrackerProcessor.DELIVERIES_STORE, "mk-" + i, Serdes.String().serializer());
                if (md.activeHost().port() == b.getPort()) {
                    ownedByB = "mk-" + i;
                }
            }
            assertThat(ownedByB).as("some key is owned by instance B").isNotNull();
            produce(topics, acceptedSend(ownedByB, NOW).build(), report(ownedByB, Channel.SMS, "10000", NOW.plusSeconds(2)).build());

            String key = ownedByB;
            BlockingHttpClient viaA = client(a);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(HttpClientResponseException.class).untilAsserted(() -> {
                HttpResponse<Map> response = viaA.exchange(HttpRequest.GET("/v1/deliveries/" + key), Map.class);
                assertThat(response.getBody().orElseThrow().get("status")).isEqualTo("SENT");
                assertThat(response.getBody().orElseThrow().get("msgKey")).isEqualTo(key);
            });
            assertThatThrownBy(() -> viaA.exchange(HttpRequest.GET("/v1/deliveries/nobody-knows-me"), Map.class))
                    .isInstanceOfSatisfying(HttpClientResponseException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(404));
        }
    }

    @Test
    void refusesToStartWhenTheInputsAreNotCoPartitioned(@TempDir Path state) {
        TopicCatalogue topics = topics("skewed");
        createTopics(topics, 3, 2);
        assertThatThrownBy(() -> start("skewed", topics, state))
                .hasStackTraceContaining("has 3 partitions but")
                .hasStackTraceContaining(topics.reports().name() + "' has 2");
    }

    private static TopicCatalogue topics(String prefix) {
        return TopicCatalogue.fromConfig(Map.of(
                "delivery.topics.sends", prefix + ".sends",
                "delivery.topics.reports", prefix + ".reports",
                "delivery.topics.status", prefix + ".status",
                "delivery.topics.dead-records", prefix + ".dead"));
    }

    private static void createTopics(TopicCatalogue topics, int sendPartitions, int reportPartitions) {
        KAFKA.broker().createTopic(topics.sends().name(), sendPartitions);
        KAFKA.broker().createTopic(topics.reports().name(), reportPartitions);
        KAFKA.broker().createTopic(topics.status().name(), sendPartitions);
        KAFKA.broker().createTopic(topics.deadRecords().name(), 1);
    }

    private static EmbeddedServer start(String prefix, TopicCatalogue topics, Path state) {
        return ApplicationContext.run(EmbeddedServer.class, serviceProperties(KAFKA.bootstrapServers(), "mock://" + REGISTRY,
                "status-" + prefix, topics, state));
    }

    /** status-stream as a deployment would configure it, on a free port, against {@code registryUrl}. */
    static Map<String, Object> serviceProperties(String bootstrap, String registryUrl, String applicationId,
                                                 TopicCatalogue topics, Path state) {
        int port = freePort();
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", port);
        props.put("kafka.bootstrap.servers", bootstrap);
        props.put("schema.registry.url", registryUrl);
        props.put("schema.registry.auto-register", true);
        props.put("delivery.topics.sends", topics.sends().name());
        props.put("delivery.topics.reports", topics.reports().name());
        props.put("delivery.topics.status", topics.status().name());
        props.put("delivery.topics.dead-records", topics.deadRecords().name());
        props.put("delivery.status-stream.application-id", applicationId);
        props.put("delivery.status-stream.state-dir", state.toString());
        props.put("delivery.status-stream.application-server", "localhost:" + port);
        props.put("delivery.status-stream.streams.commit.interval.ms", 100);
        props.put("delivery.status-stream.close-timeout", "10s");
        return props;
    }

    private static void awaitRunning(EmbeddedServer server) {
        KafkaStreams streams = server.getApplicationContext().getBean(KafkaStreams.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
    }

    private static BlockingHttpClient client(EmbeddedServer server) {
        return server.getApplicationContext().createBean(HttpClient.class, server.getURL()).toBlocking();
    }

    private static void produce(TopicCatalogue topics, SendEvent send, ProviderReport report) {
        SerdeSettings serdes = new SerdeSettings(MockSchemaRegistry.scope(REGISTRY), true);
        try (KafkaProducer<String, SendEvent> sends = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                topics.sends().keySerde(serdes).serializer(), topics.sends().valueSerde(serdes).serializer());
             KafkaProducer<String, ProviderReport> reports = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                     topics.reports().keySerde(serdes).serializer(), topics.reports().valueSerde(serdes).serializer())) {
            sends.send(new ProducerRecord<>(topics.sends().name(), null, send.getAcceptedAt().toEpochMilli(), send.getMsgKey(), send));
            if (report != null) {
                reports.send(new ProducerRecord<>(topics.reports().name(), null, report.getReceivedAt().toEpochMilli(), report.getMsgKey(), report));
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
