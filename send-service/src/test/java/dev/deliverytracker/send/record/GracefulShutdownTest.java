package dev.deliverytracker.send.record;

import dev.deliverytracker.support.DeliveryService;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.fakebizgo.FakeBizgo;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaExtension;
import dev.deliverytracker.kafka.embedded.TopicReader;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.deliverytracker.send.SendServiceHarness.API_KEY;
import static dev.deliverytracker.send.SendServiceHarness.TOPICS;
import static dev.deliverytracker.send.SendServiceHarness.config;
import static dev.deliverytracker.send.SendServiceHarness.json;
import static dev.deliverytracker.send.SendServiceHarness.message;
import static dev.deliverytracker.send.SendServiceHarness.send;
import static dev.deliverytracker.send.SendServiceHarness.sendsConsumer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A deploy stops send-service while a send is in flight (the provider is slow to answer): the shutdown waits for
 * it, so the producer gets its 202 and the send event reaches Kafka before the producer and the outbox close.
 */
class GracefulShutdownTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String REGISTRY = "send-graceful-test";

    @Test
    void aSendInFlightWhenTheServiceStopsIsAnsweredAndRecorded(@TempDir Path outbox) throws Exception {
        KAFKA.broker().createTopic(TOPICS.sends().name(), 1);
        try (FakeBizgo bizgo = FakeBizgo.builder(API_KEY).start()) {
            Map<String, Object> config = config(KAFKA.bootstrapServers(), REGISTRY, bizgo.baseUrl(), outbox);
            config.put("delivery.providers.bizgo.read-timeout", "10s");
            EmbeddedServer server = DeliveryService.SEND_SERVICE.start(config);
            bizgo.delayNextSends(1, Duration.ofSeconds(2));
            int port = server.getPort();
            CompletableFuture<HttpResponse<String>> inFlight =
                    CompletableFuture.supplyAsync(() -> send(port, message("010-7777-0201", "graceful"), "key-graceful"));
            await().atMost(Duration.ofSeconds(30)).until(() -> bizgo.sends().size() == 1); // Bizgo has it, and is slow

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
            HttpResponse<String> answer = inFlight.get(30, TimeUnit.SECONDS);
            stopping.get(60, TimeUnit.SECONDS);

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            assertThat(json(answer).get("tracking").asText()).isEqualTo("RECORDED");
            String msgKey = json(answer).get("msgKey").asText();
            try (KafkaConsumer<String, SendEvent> consumer = sendsConsumer(KAFKA.bootstrapServers(), REGISTRY)) {
                List<String> keys = TopicReader.readUntil(consumer, seen -> seen.stream().anyMatch(r -> msgKey.equals(r.key())),
                        Duration.ofSeconds(30), Duration.ofMillis(200)).stream().map(ConsumerRecord::key).toList();
                assertThat(keys).contains(msgKey);
            }
        } finally {
            MockSchemaRegistry.dropScope(REGISTRY);
        }
    }
}
