package dev.deliverytracker.webhook.http;

import dev.deliverytracker.support.DeliveryService;
import dev.deliverytracker.kafka.embedded.TopicReader;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaBroker;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Durable before acknowledged: with the broker down a report is answered 503 well inside Bizgo's 5 s, never 200;
 * when the broker is back, the provider's retry is stored. Nothing acknowledged is lost.
 */
class BrokerOutageTest {

    private static final String REGISTRY = "webhook-outage-test";
    private static final String SECRET = "outage-secret";

    @Test
    void aReportIsNeverAcknowledgedWithoutBeingStored(@TempDir Path kafkaDir) throws Exception {
        int port = freePort();
        int controllerPort = freePort();
        TopicCatalogue topics = TopicCatalogue.defaults();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().logDir(kafkaDir).port(port).controllerPort(controllerPort).build().start();
        broker.createTopic(topics.reports().name(), 1);
        HttpClient http = HttpClient.newHttpClient();
        try (EmbeddedServer server = DeliveryService.WEBHOOK_INGEST.start(Map.of(
                "micronaut.server.port", -1,
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "schema.registry.url", "mock://" + REGISTRY,
                "schema.registry.auto-register", true,
                "delivery.webhooks.store-timeout", "2s",
                "delivery.webhooks.providers.bizgo.secrets", SECRET,
                "delivery.webhooks.providers.bizgo.allowed-sources", "127.0.0.1"))) {
            assertThat(post(http, server, "mk-before").statusCode()).isEqualTo(200);
            assertThat(health(http, server).statusCode()).isEqualTo(200);

            broker.close();
            long started = System.nanoTime();
            HttpResponse<String> down = post(http, server, "mk-during");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.headers().firstValue("Retry-After")).isPresent();
            assertThat(took).isLessThan(Duration.ofSeconds(5));
            // /health tells the truth: DOWN while every report is answered 503
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> health = health(http, server);
                assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
                assertThat(health.body()).contains("\"kafka\"").contains("answered 503 until it is back");
            });

            broker = EmbeddedKafkaBroker.builder().logDir(kafkaDir).port(port).controllerPort(controllerPort).build().start();
            // the provider retries until it gets 200
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> post(http, server, "mk-during").statusCode() == 200);

            await().atMost(Duration.ofSeconds(30)).until(() -> health(http, server).statusCode() == 200);
            List<String> stored = readAll(broker, topics);
            assertThat(stored).contains("mk-before", "mk-during");
            assertThat(stored.stream().filter("mk-before"::equals).count()).isEqualTo(1);
        } finally {
            broker.close();
            MockSchemaRegistry.dropScope(REGISTRY);
        }
    }

    private static HttpResponse<String> health(HttpClient http, EmbeddedServer server) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient http, EmbeddedServer server, String msgKey) throws Exception {
        Map<String, String> headers = WebhookIngestServiceTest.signedHeaders(SECRET);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/webhooks/bizgo"))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(WebhookIngestServiceTest.report(msgKey, "10000")));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> readAll(EmbeddedKafkaBroker broker, TopicCatalogue topics) {
        SerdeSettings serdes = new SerdeSettings(MockSchemaRegistry.scope(REGISTRY), true);
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, ProviderReport> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "outage-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                topics.reports().keySerde(serdes).deserializer(), topics.reports().valueSerde(serdes).deserializer())) {
            consumer.subscribe(List.of(topics.reports().name()));
            TopicReader.readUntil(consumer, seen -> seen.stream().anyMatch(r -> "mk-during".equals(r.key())),
                    Duration.ofSeconds(30), Duration.ofMillis(500)).forEach(r -> keys.add(r.key()));
        }
        return keys;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
