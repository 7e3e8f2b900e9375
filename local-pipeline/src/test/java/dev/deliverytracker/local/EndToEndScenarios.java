package dev.deliverytracker.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deliverytracker.events.Classification;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.fakebizgo.Scenario;
import dev.deliverytracker.kafka.embedded.TopicReader;
import dev.deliverytracker.schemas.registry.SchemaRegistryClients;
import dev.deliverytracker.schemas.registry.SchemaRegistryConfig;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.Topic;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The end-to-end scenarios, whatever the broker and registry are ({@link LocalPipelineEndToEndTest}: embedded;
 * {@link ContainersEndToEndTest}: Kafka and Confluent Schema Registry in containers). The pipeline is
 * driven only through its public interfaces: HTTP to send-service, the fake Bizgo's
 * signed webhooks to webhook-ingest, a plain read_committed {@link KafkaConsumer} with our deserializer on
 * {@code delivery.status}, and HTTP to status-stream's query API. A few hundred messages across every scenario each
 * reach exactly the expected final status, once; the silent ones go STUCK_PENDING with no further traffic.
 */
abstract class EndToEndScenarios {

    private static final Set<DeliveryState> FINAL = EnumSet.of(DeliveryState.SENT, DeliveryState.DEAD_LETTER, DeliveryState.STUCK_PENDING);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private LocalPipeline pipeline;

    /** The running pipeline under test. */
    protected abstract LocalPipeline pipeline();

    @BeforeEach
    void find() {
        pipeline = pipeline();
    }

    /** Options with free ports and the given data directory; reports are due after 8 s. */
    static LocalPipelineOptions testOptions(Path data) throws IOException {
        return new LocalPipelineOptions(freePort(), freePort(), freePort(), 0, freePort(), freePort(),
                data, Duration.ofSeconds(8), false, 0, false);
    }

    /** What the fake's number convention (Scenario.byNumber) leads to, for an AlimTalk flow with an SMS fallback. */
    private static DeliveryState expected(int tail) {
        Scenario scenario = Scenario.byNumber(String.format("%02d", tail));
        return switch (scenario.kind()) {
            case DELIVERED, FALLBACK_DELIVERED, REPORTED_TWICE, REPORTED_BEFORE_ANSWER -> DeliveryState.SENT;
            case FAILED -> DeliveryState.DEAD_LETTER;
            case SILENT -> DeliveryState.STUCK_PENDING;
        };
    }

    @Test
    void everyMessageReachesExactlyItsExpectedFinalStatus() throws Exception {
        try (KafkaConsumer<String, DeliveryStatus> statuses = statusConsumer()) {
            Map<String, DeliveryState> expected = new LinkedHashMap<>();

            // Refused by the provider at send time: 422, DEAD_LETTER under the request id.
            pipeline.bizgo().failNextSends(3, 400, "A505", "Invalid templateCode");
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> refused = send(message("010-3000-00" + String.format("%02d", i), "refused-" + i), "refused-" + i);
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
                expected.put(JSON.readTree(refused.body()).get("requestId").asText(), DeliveryState.DEAD_LETTER);
            }

            // 300 messages, three for each of the 100 number endings, sent 20 at a time.
            List<Integer> tails = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                int tail = i % 100;
                tails.add(tail);
                String body = message(String.format("010-4%03d-%02d%02d", i, i / 100, tail), "e2e-" + i);
                inFlight.add(HTTP.sendAsync(request(body, "e2e-" + i), HttpResponse.BodyHandlers.ofString()));
                if (inFlight.size() % 20 == 0) {
                    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
                }
            }
            for (int i = 0; i < inFlight.size(); i++) {
                HttpResponse<String> response = inFlight.get(i).join();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                expected.put(JSON.readTree(response.body()).get("msgKey").asText(), expected(tails.get(i)));
            }
            // Producers retrying with the same Idempotency-Key: the same msgKey, no second message.
            for (int i = 0; i < 10; i++) {
                String body = message(String.format("010-4%03d-%02d%02d", i, i / 100, i % 100), "e2e-" + i);
                HttpResponse<String> again = send(body, "e2e-" + i);
                assertThat(expected).containsKey(JSON.readTree(again.body()).get("msgKey").asText());
            }
            assertThat(pipeline.bizgo().acceptedMessages()).isEqualTo(300);

            // Read until every delivery has a final status, then a quiet period longer than the stuck timeout.
            List<ConsumerRecord<String, DeliveryStatus>> records = TopicReader.readUntil(statuses,
                    seen -> finals(seen).keySet().containsAll(expected.keySet()), Duration.ofSeconds(120), Duration.ofSeconds(10));
            Map<String, List<DeliveryState>> finals = finals(records);

            assertThat(finals.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            Map<String, String> wrong = new HashMap<>();
            expected.forEach((key, state) -> {
                if (!finals.get(key).equals(List.of(state))) {
                    wrong.put(key, "expected exactly [" + state + "], got " + finals.get(key));
                }
            });
            assertThat(wrong).isEmpty();
            Map<DeliveryState, Long> tally = expected.values().stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
            assertThat(tally).containsEntry(DeliveryState.STUCK_PENDING, 6L).containsEntry(DeliveryState.DEAD_LETTER, 3L + 33L);
            // The fallback messages (endings 80-84) passed through FALLBACK before SENT.
            assertThat(records.stream().filter(r -> r.value().getStatus() == DeliveryState.FALLBACK).map(ConsumerRecord::key).distinct().count())
                    .isGreaterThanOrEqualTo(15);

            // The query API agrees with the topic.
            for (Map.Entry<String, DeliveryState> entry : expected.entrySet().stream().limit(20).toList()) {
                HttpResponse<String> view = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.statusStreamUrl() + "/v1/deliveries/" + entry.getKey()))
                        .header("Authorization", "Bearer " + LocalPipeline.DEMO_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(view.statusCode()).as(view.body()).isEqualTo(200);
                assertThat(JSON.readTree(view.body()).get("status").asText()).isEqualTo(entry.getValue().name());
            }
        }
    }

    /**
     * NCP SENS through the public interfaces: {@code "provider": "ncp-sens"} to send-service, the fake SENS, webhook-ingest
     * collecting the results from SENS's result API, status-stream: by the fake's number convention (SensScenario).
     * SENS's result API rate-limits the first calls: the collector backs off and catches up, every message reaches
     * its final once; the template-not-found failure is an account failure and the monitor's alert fires for ncp-sens.
     */
    @Test
    void sensMessagesReachTheirFinalsThroughTheResultCollector() throws Exception {
        pipeline.sens().failNextResultCalls(3, 429);
        try (KafkaConsumer<String, DeliveryStatus> statuses = statusConsumer()) {
            Map<String, DeliveryState> expected = new LinkedHashMap<>();
            Map<String, Classification> classes = new HashMap<>();
            Map<Integer, DeliveryState> byTail = Map.of(0, DeliveryState.SENT, 42, DeliveryState.SENT, 88, DeliveryState.DEAD_LETTER,
                    91, DeliveryState.DEAD_LETTER, 94, DeliveryState.DEAD_LETTER, 97, DeliveryState.STUCK_PENDING);
            for (Map.Entry<Integer, DeliveryState> tail : byTail.entrySet()) {
                String body = """
                        {"to":"010-5555-00%02d","origin":"demo","provider":"ncp-sens",
                         "flow":[{"channel":"ALIMTALK","templateCode":"E2E","text":"Hi #{name}"}],"variables":{"name":"Lee"}}"""
                        .formatted(tail.getKey());
                HttpResponse<String> response = send(body, "sens-" + tail.getKey());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                String msgKey = JSON.readTree(response.body()).get("msgKey").asText();
                assertThat(msgKey).as("SENS's requestId:messageId").contains(":");
                expected.put(msgKey, tail.getValue());
                if (tail.getKey() == 91) {
                    classes.put(msgKey, Classification.ACCOUNT_FAILURE);
                }
            }
            // plain SMS through SENS's SMS API (a requestId only; the collector finds each message by its number's hash)
                        for (int tail : List.of(4, 87)) {
                String msgKey = sendPlainSms("ncp-sens", "010-5555-10%02d".formatted(tail), "sens-sms-" + tail, "sms:S[0-9a-f]+:1");
                expected.put(msgKey, tail == 4 ? DeliveryState.SENT : DeliveryState.DEAD_LETTER);
            }
            HttpResponse<String> lmsThenSms = send("""
                    {"to":"010-5555-0001","origin":"demo","provider":"ncp-sens","flow":[{"channel":"LMS","text":"Hi"},{"channel":"SMS","text":"Hi"}]}""",
                    "sens-lms-sms");
            assertThat(lmsThenSms.statusCode()).as("a flow SENS cannot send here is refused up front").isEqualTo(400);

            List<ConsumerRecord<String, DeliveryStatus>> records = TopicReader.readUntil(statuses,
                    seen -> finals(seen).keySet().containsAll(expected.keySet()), Duration.ofSeconds(90), Duration.ofSeconds(10));
            Map<String, List<DeliveryState>> finals = finals(records);
            expected.forEach((key, state) -> assertThat(finals.get(key)).as(key).containsExactly(state));
            classes.forEach((key, cls) -> assertThat(records.stream().filter(r -> r.key().equals(key)
                    && r.value().getStatus() == DeliveryState.DEAD_LETTER).map(r -> r.value().getClassification())).containsExactly(cls));
            assertThat(pipeline.sens().refusedSignatures()).as("every call to SENS was signed right").isZero();
            assertThat(pipeline.sens().resultCalls()).as("the rate-limited calls were made, and the collector carried on").isGreaterThan(3);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).alias("the account-failure alert fires for ncp-sens")
                .until(() -> accountFailureAlerted("ncp-sens"));
    }

    /**
     * Aligo through the public interfaces: {@code "provider": "aligo"} to send-service, the fake Aligo (token, numbered
     * form), webhook-ingest collecting from its history (rows matched by the keyed recipient hash), status-stream.
     */
    @Test
    void aligoMessagesReachTheirFinalsThroughTheResultCollector() throws Exception {
        try (KafkaConsumer<String, DeliveryStatus> statuses = statusConsumer()) {
            Map<String, DeliveryState> expected = new LinkedHashMap<>();
            List<String> fellBack = new ArrayList<>();
            // ending -> final; with an SMS fail-over: 81 AlimTalk fails, the SMS is delivered; 86 both fail
            Map<Integer, DeliveryState> byTail = Map.of(0, DeliveryState.SENT, 33, DeliveryState.SENT, 81, DeliveryState.SENT,
                    86, DeliveryState.DEAD_LETTER, 92, DeliveryState.DEAD_LETTER, 98, DeliveryState.STUCK_PENDING);
            String template = null;
            for (Map.Entry<Integer, DeliveryState> tail : byTail.entrySet()) {
                boolean failover = tail.getKey() == 0 || tail.getKey() == 81 || tail.getKey() == 86;
                String body = """
                        {"to":"010-6666-00%02d","origin":"demo","provider":"aligo",
                         "flow":[{"channel":"ALIMTALK","templateCode":"E2E","text":"Hi #{name}"}%s],
                         "variables":{"name":"Lee"}}""".formatted(tail.getKey(), failover ? ",{\"channel\":\"SMS\",\"text\":\"Hi #{name}\"}" : "");
                HttpResponse<String> response = send(body, "aligo-" + tail.getKey());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                String msgKey = JSON.readTree(response.body()).get("msgKey").asText();
                assertThat(msgKey).as("Aligo's mid:N").matches("[0-9]+:1");
                expected.put(msgKey, tail.getValue());
                if (tail.getKey() == 92) {
                    template = msgKey;
                }
                if (tail.getKey() == 81 || tail.getKey() == 86) {
                    fellBack.add(msgKey);
                }
            }
            // plain SMS through Aligo's SMS API: delivered, and a number error
                        for (int tail : List.of(7, 88)) {
                String msgKey = sendPlainSms("aligo", "010-6666-10%02d".formatted(tail), "aligo-sms-" + tail, "sms:[0-9]+:1");
                expected.put(msgKey, tail == 7 ? DeliveryState.SENT : DeliveryState.DEAD_LETTER);
            }
            List<ConsumerRecord<String, DeliveryStatus>> records = TopicReader.readUntil(statuses,
                    seen -> finals(seen).keySet().containsAll(expected.keySet()), Duration.ofSeconds(90), Duration.ofSeconds(10));
            Map<String, List<DeliveryState>> finals = finals(records);
            expected.forEach((key, state) -> assertThat(finals.get(key)).as(key).containsExactly(state));
            String templateKey = template;
            assertThat(records.stream().filter(r -> r.key().equals(templateKey) && r.value().getStatus() == DeliveryState.DEAD_LETTER)
                    .map(r -> r.value().getClassification())).as("template not found").containsExactly(Classification.ACCOUNT_FAILURE);
            for (String key : fellBack) {
                assertThat(records.stream().filter(r -> r.key().equals(key)).map(r -> r.value().getStatus()))
                        .as("the AlimTalk failed, then the SMS fail-over settled it").contains(DeliveryState.FALLBACK);
            }
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).alias("the account-failure alert fires for aligo")
                .until(() -> accountFailureAlerted("aligo"));
    }

    private boolean accountFailureAlerted(String provider) throws Exception {
        JsonNode alerts = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.monitorUrl() + "/v1/alerts")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode alert : alerts) {
            if (alert.path("alertname").asText().equals("DeliveryAccountFailure") && alert.path("labels").path("provider").asText().equals(provider)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, List<DeliveryState>> finals(List<ConsumerRecord<String, DeliveryStatus>> records) {
        Map<String, List<DeliveryState>> finals = new HashMap<>();
        for (ConsumerRecord<String, DeliveryStatus> record : records) {
            if (FINAL.contains(record.value().getStatus())) {
                finals.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value().getStatus());
            }
        }
        return finals;
    }

    private static String message(String to, String ref) {
        return """
                {"to":"%s","origin":"demo","ref":"%s",
                 "flow":[{"channel":"ALIMTALK","templateCode":"E2E","text":"Hi #{name}"},{"channel":"SMS","text":"Hi #{name}"}],
                 "variables":{"name":"Lee"}}""".formatted(to, ref);
    }

    private HttpRequest request(String body, String idempotencyKey) {
        return HttpRequest.newBuilder(URI.create(pipeline.sendServiceUrl() + "/v1/messages"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + LocalPipeline.DEMO_TOKEN)
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

        /** Sends one plain SMS through {@code provider}; it must be accepted with a msgKey of {@code keyPattern}. */
    private String sendPlainSms(String provider, String to, String idempotencyKey, String keyPattern) throws Exception {
        HttpResponse<String> response = send("""
                {"to":"%s","origin":"demo","provider":"%s","flow":[{"channel":"SMS","text":"Hi #{name}"}],
                 "variables":{"name":"Lee"}}""".formatted(to, provider), idempotencyKey);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String msgKey = JSON.readTree(response.body()).get("msgKey").asText();
        assertThat(msgKey).matches(keyPattern);
        return msgKey;
    }

    private HttpResponse<String> send(String body, String idempotencyKey) throws Exception {
        return HTTP.send(request(body, idempotencyKey), HttpResponse.BodyHandlers.ofString());
    }

    private KafkaConsumer<String, DeliveryStatus> statusConsumer() {
        Topic<String, DeliveryStatus> topic = TopicCatalogue.defaults().status();
        SerdeSettings serdes = new SerdeSettings(SchemaRegistryClients.create(SchemaRegistryConfig.of(pipeline.registryUrl())), false);
        KafkaConsumer<String, DeliveryStatus> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-status-reader-" + java.util.UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                topic.keySerde(serdes).deserializer(), topic.valueSerde(serdes).deserializer());
        consumer.subscribe(List.of(topic.name()));
        return consumer;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
