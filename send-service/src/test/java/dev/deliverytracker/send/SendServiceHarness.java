package dev.deliverytracker.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the send-service tests share: the configuration a real deployment would have, and HTTP and Kafka helpers. */
public final class SendServiceHarness {

    public static final String API_KEY = "fake-bizgo-api-key-0123456789";
    public static final String BILLING_TOKEN = "billing-token-0123456789";
    public static final String AUTH_TOKEN = "auth-token-0123456789abc";
    public static final String HASH_KEY = "recipient-hash-key-for-tests-0123456789";
    public static final TopicCatalogue TOPICS = TopicCatalogue.defaults();
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SendServiceHarness() {
    }

    public static Map<String, Object> config(String bootstrap, String registryScope, String bizgoUrl, Path outbox) {
        Map<String, Object> config = new HashMap<>();
        config.put("micronaut.server.port", -1);
        config.put("kafka.bootstrap.servers", bootstrap);
        config.put("schema.registry.url", "mock://" + registryScope);
        config.put("schema.registry.auto-register", true);
        config.put("delivery.send-service.outbox-dir", outbox.toString());
        config.put("delivery.send-service.recipient-hash-key", HASH_KEY);
        config.put("delivery.send-service.client-tokens", "billing=" + BILLING_TOKEN + ",auth=" + AUTH_TOKEN);
        config.put("delivery.send-service.status-base-url", "http://status.example:8083");
        config.put("delivery.send-service.outbox-retry-interval", "200ms");
        config.put("delivery.providers.bizgo.base-url", bizgoUrl);
        config.put("delivery.providers.bizgo.api-key", API_KEY);
        config.put("delivery.providers.bizgo.sender-key", "default-sender-key");
        config.put("delivery.providers.bizgo.sms-from", "0212345678");
        config.put("delivery.providers.bizgo.read-timeout", "1s");
        config.put("delivery.providers.bizgo.initial-backoff", "50ms");
        config.put("delivery.providers.bizgo.max-backoff", "200ms");
        return config;
    }

    /** An AlimTalk message with an SMS fallback, as a producer would send it. */
    public static String message(String to, String ref) {
        return """
                {"to":"%s","origin":"billing","ref":"%s",
                 "flow":[{"channel":"ALIMTALK","templateCode":"INVOICE_READY","text":"#{name}, your invoice is ready"},
                         {"channel":"SMS","text":"#{name}: invoice ready"}],
                 "variables":{"name":"Kim"}}""".formatted(to, ref);
    }

    public static HttpResponse<String> post(int port, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!headers.containsKey("Content-Type")) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static HttpResponse<String> send(int port, String body, String idempotencyKey) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Authorization", "Bearer " + BILLING_TOKEN);
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        return post(port, "/v1/messages", body, headers);
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + response.body(), e);
        }
    }

    public static KafkaConsumer<String, SendEvent> sendsConsumer(String bootstrap, String registryScope) {
        SerdeSettings serdes = new SerdeSettings(MockSchemaRegistry.scope(registryScope), true);
        KafkaConsumer<String, SendEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "sends-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                TOPICS.sends().keySerde(serdes).deserializer(), TOPICS.sends().valueSerde(serdes).deserializer());
        consumer.subscribe(List.of(TOPICS.sends().name()));
        return consumer;
    }
}
