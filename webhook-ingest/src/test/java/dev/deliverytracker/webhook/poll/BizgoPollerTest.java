package dev.deliverytracker.webhook.poll;

import dev.deliverytracker.support.DeliveryService;
import dev.deliverytracker.kafka.embedded.TopicReader;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.fakebizgo.FakeBizgo;
import dev.deliverytracker.events.ReportSource;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaExtension;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.DeadRecordHeaders;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Bizgo poller in the running service, against a fake Bizgo that speaks the polling API, onto the real broker. */
class BizgoPollerTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String REGISTRY = "bizgo-poller-test";
    private static final String API_KEY = "poll-key";

    private final FakeBizgo bizgo = FakeBizgo.builder(API_KEY).reportDelay(Duration.ZERO).start();
    private EmbeddedServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        bizgo.close();
    }

    @AfterAll
    static void dropRegistry() {
        MockSchemaRegistry.dropScope(REGISTRY);
    }

    @Test
    void eachBatchIsStoredBeforeItIsAcknowledged() {
        String topic = "poll.reports.a";
        KAFKA.broker().createTopic(topic, 2);
        // Sent through the fake's send API: 00 is delivered, 86 fails 64016; each produces one AlimTalk report.
        List<String> msgKeys = List.of(send("01012340000"), send("01012340086"), send("01012340001"));
        await().atMost(Duration.ofSeconds(10)).until(() -> bizgo.reportsAwaitingPoll() == 3);
        server = start(topic);

        await().atMost(Duration.ofSeconds(30)).until(() -> bizgo.reportsAwaitingPoll() == 0 && bizgo.pollCalls().contains("GET -"));
        List<ProviderReport> stored = read(topic, 3);
        assertThat(stored).extracting(ProviderReport::getMsgKey).containsExactlyInAnyOrderElementsOf(msgKeys);
        assertThat(stored).extracting(ProviderReport::getReportCode).containsExactlyInAnyOrder("10000", "64016", "10000");
        assertThat(stored).allSatisfy(r -> {
            assertThat(r.getSource()).isEqualTo(ReportSource.POLL);
            assertThat(r.getProvider()).isEqualTo("bizgo");
        });
        String batch = bizgo.pollCalls().get(0).substring(4);
        assertThat(bizgo.pollCalls()).containsSubsequence("GET " + batch, "DELETE " + batch, "GET -");
    }

    /** An unreadable report in a batch is kept on the dead-records topic, with the reason, before the batch is acknowledged. */
    @Test
    void anUnreadableReportInABatchIsKeptAsADeadRecordBeforeTheBatchIsAcknowledged() {
        String topic = "poll.reports.c";
        String dead = "poll.dead.c";
        KAFKA.broker().createTopic(topic, 1);
        KAFKA.broker().createTopic(dead, 1);
        String msgKey = send("01012340004");
        await().atMost(Duration.ofSeconds(10)).until(() -> bizgo.reportsAwaitingPoll() == 1);
        com.fasterxml.jackson.databind.node.ObjectNode broken = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        broken.put("msgKey", 12345).put("reportCode", "10000").put("ref", "order-broken");
        bizgo.queueForPolling(broken);
        server = start(topic, dead);

        await().atMost(Duration.ofSeconds(30)).until(() -> bizgo.reportsAwaitingPoll() == 0);
        assertThat(read(topic, 1)).extracting(ProviderReport::getMsgKey).containsExactly(msgKey);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "poll-dead-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(dead));
            List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records =
                    TopicReader.readAtLeast(consumer, 1, Duration.ofSeconds(30), Duration.ofMillis(500));
            assertThat(records).hasSize(1);
            assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8)).contains("order-broken").contains("12345");
            assertThat(header(records.get(0), DeadRecordHeaders.EXCEPTION)).isEqualTo("malformed");
            assertThat(header(records.get(0), DeadRecordHeaders.MESSAGE)).contains("msgKey must be a JSON string");
            assertThat(header(records.get(0), DeadRecordHeaders.SOURCE)).startsWith("bizgo poll batch ");
        }
    }

    private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void aFailedAcknowledgementReplaysTheBatchWhichIsStoredAgain() {
        String topic = "poll.reports.b";
        KAFKA.broker().createTopic(topic, 1);
        bizgo.failNextAcks(1);
        String msgKey = send("01012340002");
        await().atMost(Duration.ofSeconds(10)).until(() -> bizgo.reportsAwaitingPoll() == 1);
        server = start(topic);

        await().atMost(Duration.ofSeconds(30)).until(() -> bizgo.reportsAwaitingPoll() == 0);
        String batch = bizgo.pollCalls().get(0).substring(4);
        assertThat(bizgo.pollCalls()).containsSubsequence("GET " + batch, "DELETE " + batch, "GET " + batch, "DELETE " + batch);
        List<ProviderReport> stored = read(topic, 2);
        assertThat(stored).extracting(ProviderReport::getMsgKey).containsExactly(msgKey, msgKey); // status-stream dedups
    }

    @Test
    void aBatchThatCouldNotBeStoredIsNeverAcknowledged() {
        send("01012340003");
        await().atMost(Duration.ofSeconds(10)).until(() -> bizgo.reportsAwaitingPoll() == 1);
        server = start("poll.reports.missing"); // no such topic, and the broker does not create topics: every store fails

        await().atMost(Duration.ofSeconds(30)).until(() -> bizgo.pollCalls().stream().filter(c -> c.startsWith("GET RPT")).count() >= 3);
        assertThat(bizgo.pollCalls()).noneMatch(c -> c.startsWith("DELETE"));
        assertThat(bizgo.reportsAwaitingPoll()).isEqualTo(1);
        assertThat(server.getApplicationContext().getBean(dev.deliverytracker.webhook.http.WebhookMetrics.class).pollFailures("bizgo"))
                .as("each failed poll is counted").isGreaterThanOrEqualTo(2);
    }

    private EmbeddedServer start(String reportsTopic) {
        return start(reportsTopic, "delivery.dead-records");
    }

    private EmbeddedServer start(String reportsTopic, String deadRecordsTopic) {
        Map<String, Object> props = new HashMap<>();
        props.put("delivery.topics.dead-records", deadRecordsTopic);
        props.put("micronaut.server.port", -1);
        props.put("kafka.bootstrap.servers", KAFKA.bootstrapServers());
        props.put("schema.registry.url", "mock://" + REGISTRY);
        props.put("schema.registry.auto-register", true);
        props.put("delivery.topics.reports", reportsTopic);
        props.put("delivery.webhooks.store-timeout", "1500ms");
        props.put("delivery.webhooks.providers.bizgo.secrets", "unused-here");
        props.put("delivery.pollers.bizgo.enabled", true);
        props.put("delivery.pollers.bizgo.base-url", bizgo.baseUrl());
        props.put("delivery.pollers.bizgo.api-key", API_KEY);
        props.put("delivery.pollers.bizgo.min-interval", "20ms");
        props.put("delivery.pollers.bizgo.idle-backoff", "100ms");
        props.put("delivery.pollers.bizgo.max-backoff", "300ms");
        return DeliveryService.WEBHOOK_INGEST.start(props);
    }

    /** One AlimTalk message to {@code to} through the fake's send API (its documented omni request); returns its msgKey. */
    private String send(String to) {
        String body = "{\"destinations\":[{\"to\":\"" + to + "\"}],\"messageFlow\":[{\"alimtalk\":{\"senderKey\":\"sk\","
                + "\"templateCode\":\"T\",\"msgType\":\"AT\",\"text\":\"hi\"}}]}";
        try {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(bizgo.baseUrl() + FakeBizgo.SEND_PATH))
                            .header("Authorization", API_KEY).header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).at("/data/data/destinations/0/msgKey").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<ProviderReport> read(String topic, int expected) {
        SerdeSettings serdes = new SerdeSettings(MockSchemaRegistry.scope(REGISTRY), true);
        TopicCatalogue topics = TopicCatalogue.defaults();
        List<ProviderReport> out = new ArrayList<>();
        try (KafkaConsumer<String, ProviderReport> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "poll-reader-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                topics.reports().keySerde(serdes).deserializer(), topics.reports().valueSerde(serdes).deserializer())) {
            consumer.subscribe(List.of(topic));
            TopicReader.readAtLeast(consumer, expected, Duration.ofSeconds(30), Duration.ofMillis(500))
                    .forEach(r -> out.add(r.value()));
        }
        return out;
    }
}
