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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.deliverytracker.send.SendServiceHarness.API_KEY;
import static dev.deliverytracker.send.SendServiceHarness.BILLING_TOKEN;
import static dev.deliverytracker.send.SendServiceHarness.TOPICS;
import static dev.deliverytracker.send.SendServiceHarness.config;
import static dev.deliverytracker.send.SendServiceHarness.get;
import static dev.deliverytracker.send.SendServiceHarness.json;
import static dev.deliverytracker.send.SendServiceHarness.message;
import static dev.deliverytracker.send.SendServiceHarness.post;
import static dev.deliverytracker.send.SendServiceHarness.send;
import static dev.deliverytracker.send.SendServiceHarness.sendsConsumer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Acknowledged, then forgotten (issue 12, item 5): when neither Kafka (no broker) nor the outbox (its log on a full
 * disk, {@code /dev/full}) takes the send events, the producer is told plainly ({@code UNTRACKED} with a warning,
 * per recipient in a batch) and the Idempotency-Key does not remember the answer: the retry reaches the provider
 * again, and once Kafka is back it records the send under the same msgKey.
 */
class UntrackedSendTest {

    private static final String REGISTRY = "send-untracked-test";

    @Test
    void anUntrackedSendIsNotRememberedSoItsRetryRecordsIt(@TempDir Path kafkaDir, @TempDir Path outbox) throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs /dev/full to make the outbox's disk fail");
        Files.createSymbolicLink(outbox.resolve("events.log"), full);
        int port = freePort();
        int controllerPort = freePort();
        Map<String, Object> config = config("127.0.0.1:" + port, REGISTRY, "http://unused", outbox);
        config.put("delivery.send-service.record-timeout", "1500ms");
        EmbeddedKafkaBroker broker = null;
        try (FakeBizgo bizgo = FakeBizgo.builder(API_KEY).start()) {
            config.put("delivery.providers.bizgo.base-url", bizgo.baseUrl());
            try (EmbeddedServer server = DeliveryService.SEND_SERVICE.start(config)) {
                HttpResponse<String> first = send(server.getPort(), message("010-7777-0101", "untracked"), "key-untracked-1");
                assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
                JsonNode answer = json(first);
                assertThat(answer.get("tracking").asText()).isEqualTo("UNTRACKED");
                assertThat(answer.get("warning").asText()).contains("nothing tracks it").contains("same Idempotency-Key");
                assertThat(first.headers().firstValue("X-Delivery-Tracking")).contains("untracked");
                String msgKey = answer.get("msgKey").asText();
                assertThat(bizgo.sends()).hasSize(1);
                HttpResponse<String> health = get(server.getPort(), "/health");
                assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
                JsonNode recording = json(health).at("/details/sendRecording");
                assertThat(recording.get("status").asText()).isEqualTo("DOWN");
                assertThat(recording.at("/details/kafka/status").asText()).isEqualTo("DOWN");
                assertThat(recording.at("/details/outbox/error").asText()).contains("No space left on device");
                assertThat(recording.at("/details/impact").asText()).contains("UNTRACKED");

                HttpResponse<String> retried = send(server.getPort(), message("010-7777-0101", "untracked"), "key-untracked-1");
                assertThat(retried.headers().firstValue("Idempotent-Replayed")).isEmpty();
                assertThat(bizgo.sends()).as("the retry reaches the provider again").hasSize(2);
                assertThat(json(retried).get("msgKey").asText()).as("the provider's duplicate answer repeats the msgKey").isEqualTo(msgKey);
                assertThat(json(retried).get("tracking").asText()).isEqualTo("UNTRACKED");

                String batch = """
                        {"origin":"billing","recipients":[{"to":"010-7777-0102","ref":"b-1"},{"to":"010-7777-0103","ref":"b-2"}],
                         "flow":[{"channel":"SMS","text":"invoice ready"}]}""";
                Map<String, String> headers = Map.of("Authorization", "Bearer " + BILLING_TOKEN, "Idempotency-Key", "key-untracked-batch");
                HttpResponse<String> batchAnswer = post(server.getPort(), "/v1/messages/batch", batch, headers);
                assertThat(batchAnswer.statusCode()).as(batchAnswer.body()).isEqualTo(200);
                JsonNode batchBody = json(batchAnswer);
                assertThat(batchBody.get("tracking").asText()).isEqualTo("UNTRACKED");
                assertThat(batchBody.get("warning").asText()).contains("nothing tracks it");
                assertThat(batchBody.get("results")).hasSize(2).allSatisfy(item -> assertThat(item.get("tracking").asText()).isEqualTo("UNTRACKED"));
                List<String> batchKeys = batchBody.get("results").findValuesAsText("msgKey");
                assertThat(bizgo.sends()).hasSize(3);

                // Kafka comes back: the producer's retry with the same key is recorded under the same msgKeys.
                broker = EmbeddedKafkaBroker.builder().logDir(kafkaDir).port(port).controllerPort(controllerPort).build().start();
                broker.createTopic(TOPICS.sends().name(), 3);
                JsonNode recorded = retryUntilRecorded(() -> send(server.getPort(), message("010-7777-0101", "untracked"), "key-untracked-1"));
                assertThat(recorded.get("msgKey").asText()).isEqualTo(msgKey);
                assertThat(recorded.has("warning")).as("no warning once recorded").isFalse();
                JsonNode batchRecorded = retryUntilRecorded(() -> post(server.getPort(), "/v1/messages/batch", batch, headers));
                assertThat(batchRecorded.get("results")).allSatisfy(item -> assertThat(item.get("tracking").asText()).isEqualTo("RECORDED"));
                assertThat(batchRecorded.get("results").findValuesAsText("msgKey")).isEqualTo(batchKeys);

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(get(server.getPort(), "/health").statusCode()).as("healthy once Kafka records sends again").isEqualTo(200));

                // Recorded now, so remembered: the next retry is a replay and does not reach the provider.
                int providerCalls = bizgo.sends().size();
                HttpResponse<String> replayed = send(server.getPort(), message("010-7777-0101", "untracked"), "key-untracked-1");
                assertThat(replayed.headers().firstValue("Idempotent-Replayed")).contains("true");
                assertThat(bizgo.sends()).hasSize(providerCalls);

                try (KafkaConsumer<String, SendEvent> consumer = sendsConsumer(broker.bootstrapServers(), REGISTRY)) {
                    List<String> keys = TopicReader.readUntil(consumer,
                            seen -> seen.stream().map(ConsumerRecord::key).toList().containsAll(List.of(msgKey, batchKeys.get(0), batchKeys.get(1))),
                            Duration.ofSeconds(60), Duration.ofSeconds(1)).stream().map(ConsumerRecord::key).toList();
                    assertThat(keys).contains(msgKey, batchKeys.get(0), batchKeys.get(1));
                }
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
            MockSchemaRegistry.dropScope(REGISTRY);
        }
    }

    /** What a producer does with an UNTRACKED answer: retries with the same key, until it is recorded (with a deadline). */
    private static JsonNode retryUntilRecorded(java.util.function.Supplier<HttpResponse<String>> request) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            HttpResponse<String> response = request.get();
            assertThat(response.statusCode()).as(response.body()).isIn(200, 202);
            assertThat(response.headers().firstValue("Idempotent-Replayed")).isEmpty();
            JsonNode body = json(response);
            if ("RECORDED".equals(body.get("tracking").asText())) {
                return body;
            }
            assertThat(Instant.now()).as("recorded before the deadline; last answer " + response.body()).isBefore(deadline);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
