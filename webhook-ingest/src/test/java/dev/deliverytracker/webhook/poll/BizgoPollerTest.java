package dev.deliverytracker.webhook.poll;

import dev.deliverytracker.kafka.embedded.TopicReader;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.ReportSource;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaExtension;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

    private final FakeBizgoPollingServer bizgo = new FakeBizgoPollingServer(API_KEY);
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
        bizgo.add("batch-1", "[" + report("mk-p1", "10000") + "," + report("mk-p2", "64016") + "]");
        bizgo.add("batch-2", "[" + report("mk-p3", "10000") + "]");
        server = start(topic);

        await().atMost(Duration.ofSeconds(30)).until(() -> bizgo.pendingBatches() == 0);
        List<ProviderReport> stored = read(topic, 3);
        assertThat(stored).extracting(ProviderReport::getMsgKey).containsExactlyInAnyOrder("mk-p1", "mk-p2", "mk-p3");
        assertThat(stored).allSatisfy(r -> {
            assertThat(r.getSource()).isEqualTo(ReportSource.POLL);
            assertThat(r.getProvider()).isEqualTo("bizgo");
        });
        assertThat(bizgo.calls()).containsSubsequence("GET batch-1", "DELETE batch-1", "GET batch-2", "DELETE batch-2", "GET -");
    }

    @Test
    void aFailedAcknowledgementReplaysTheBatchWhichIsStoredAgain() {
        String topic = "poll.reports.b";
        KAFKA.broker().createTopic(topic, 1);
        bizgo.failNextAcks(1);
        bizgo.add("batch-r", "[" + report("mk-r1", "10000") + "]");
        server = start(topic);

        await().atMost(Duration.ofSeconds(30)).until(() -> bizgo.pendingBatches() == 0);
        assertThat(bizgo.calls()).containsSubsequence("GET batch-r", "DELETE batch-r", "GET batch-r", "DELETE batch-r");
        List<ProviderReport> stored = read(topic, 2);
        assertThat(stored).extracting(ProviderReport::getMsgKey).containsExactly("mk-r1", "mk-r1"); // status-stream dedups
    }

    @Test
    void aBatchThatCouldNotBeStoredIsNeverAcknowledged() {
        bizgo.add("batch-x", "[" + report("mk-x1", "10000") + "]");
        server = start("poll.reports.missing"); // no such topic, and the broker does not create topics: every store fails

        await().atMost(Duration.ofSeconds(30)).until(() -> bizgo.calls().stream().filter("GET batch-x"::equals).count() >= 3);
        assertThat(bizgo.calls()).noneMatch(c -> c.startsWith("DELETE"));
        assertThat(bizgo.pendingBatches()).isEqualTo(1);
    }

    private EmbeddedServer start(String reportsTopic) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("kafka.bootstrap.servers", KAFKA.bootstrapServers());
        props.put("schema.registry.url", "mock://" + REGISTRY);
        props.put("schema.registry.auto-register", true);
        props.put("delivery.topics.reports", reportsTopic);
        props.put("delivery.webhooks.store-timeout", "1500ms");
        props.put("delivery.webhooks.providers.bizgo.secrets", "unused-here");
        props.put("delivery.pollers.bizgo.enabled", true);
        props.put("delivery.pollers.bizgo.base-url", bizgo.url());
        props.put("delivery.pollers.bizgo.api-key", API_KEY);
        props.put("delivery.pollers.bizgo.min-interval", "20ms");
        props.put("delivery.pollers.bizgo.idle-backoff", "100ms");
        props.put("delivery.pollers.bizgo.max-backoff", "300ms");
        return ApplicationContext.run(EmbeddedServer.class, props);
    }

    private static String report(String msgKey, String code) {
        return "{\"msgKey\":\"" + msgKey + "\",\"serviceType\":\"ALIMTALK\",\"msgType\":\"AT\",\"reportType\":\"RPT\","
                + "\"reportCode\":\"" + code + "\",\"reportText\":\"t\",\"sendTime\":\"2026-11-22T12:00:00+09:00\","
                + "\"reportTime\":\"2026-11-22T12:00:01+09:00\"}";
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
