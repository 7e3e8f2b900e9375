package dev.deliverytracker.send.record;

import dev.deliverytracker.support.DeliveryService;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.fakebizgo.FakeBizgo;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaBroker;
import dev.deliverytracker.kafka.embedded.TopicReader;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.deliverytracker.send.SendServiceHarness.API_KEY;
import static dev.deliverytracker.send.SendServiceHarness.TOPICS;
import static dev.deliverytracker.send.SendServiceHarness.config;
import static dev.deliverytracker.send.SendServiceHarness.get;
import static dev.deliverytracker.send.SendServiceHarness.json;
import static dev.deliverytracker.send.SendServiceHarness.message;
import static dev.deliverytracker.send.SendServiceHarness.send;
import static dev.deliverytracker.send.SendServiceHarness.sendsConsumer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No accepted send left untracked: with the broker down, a message the provider accepted is answered 202 with
 * tracking DELAYED, kept in the outbox, and reaches the sends topic when the broker is back, both while the same
 * send-service keeps running and after a restart of send-service with a non-empty outbox. Each exactly once.
 */
class OutboxReplayBrokerTest {

    private static final String REGISTRY = "send-outbox-test";

    @Test
    void sendsAcceptedWhileKafkaIsDownReachTheTopicWhenItReturnsAndAfterARestart(@TempDir Path kafkaDir, @TempDir Path outbox) throws Exception {
        int port = freePort();
        int controllerPort = freePort();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().logDir(kafkaDir).port(port).controllerPort(controllerPort).build().start();
        broker.createTopic(TOPICS.sends().name(), 3);
        String bootstrap = broker.bootstrapServers();
        Map<String, Object> config = config(bootstrap, REGISTRY, "http://unused", outbox);
        config.put("delivery.send-service.record-timeout", "1500ms");
        try (FakeBizgo bizgo = FakeBizgo.builder(API_KEY).start()) {
            config.put("delivery.providers.bizgo.base-url", bizgo.baseUrl());
            String before;
            String during;
            String beforeRestart;
            try (EmbeddedServer server = DeliveryService.SEND_SERVICE.start(config)) {
                before = accepted(send(server.getPort(), message("010-7777-0001", "before"), null), "RECORDED");

                broker.close();
                HttpResponse<String> down = send(server.getPort(), message("010-7777-0002", "during"), null);
                during = accepted(down, "DELAYED");
                assertThat(down.headers().firstValue("X-Delivery-Tracking")).contains("delayed");
                HttpResponse<String> health = get(server.getPort(), "/health");
                assertThat(health.statusCode()).as("sends are still durable: " + health.body()).isEqualTo(200);
                JsonNode recording = json(health).at("/details/sendRecording/details");
                assertThat(recording.at("/kafka/status").asText()).isEqualTo("DOWN");
                assertThat(recording.at("/outbox/status").asText()).isEqualTo("UP");
                assertThat(recording.at("/outbox/pendingBytes").asLong()).isPositive();
                assertThat(recording.at("/impact").asText()).contains("local outbox");

                broker = EmbeddedKafkaBroker.builder().logDir(kafkaDir).port(port).controllerPort(controllerPort).build().start();
                assertThat(readKeys(bootstrap, during)).containsOnlyOnce(before, during);

                // Down again; this time send-service stops before the broker returns.
                broker.close();
                beforeRestart = accepted(send(server.getPort(), message("010-7777-0003", "restart"), null), "DELAYED");
            }
            broker = EmbeddedKafkaBroker.builder().logDir(kafkaDir).port(port).controllerPort(controllerPort).build().start();
            try (EmbeddedServer restarted = DeliveryService.SEND_SERVICE.start(config)) {
                List<String> keys = readKeys(bootstrap, beforeRestart);
                assertThat(keys).containsOnlyOnce(before, during, beforeRestart);
                assertThat(restarted.getApplicationContext().getBean(Outbox.class).hasPending()).isFalse();
            }
        } finally {
            broker.close();
            MockSchemaRegistry.dropScope(REGISTRY);
        }
    }

    private static String accepted(HttpResponse<String> response, String tracking) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = json(response);
        assertThat(body.get("tracking").asText()).isEqualTo(tracking);
        return body.get("msgKey").asText();
    }

    private static List<String> readKeys(String bootstrap, String until) {
        try (KafkaConsumer<String, SendEvent> consumer = sendsConsumer(bootstrap, REGISTRY)) {
            return TopicReader.readUntil(consumer, seen -> seen.stream().anyMatch(r -> until.equals(r.key())),
                    Duration.ofSeconds(60), Duration.ofSeconds(1)).stream().map(ConsumerRecord::key).toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
