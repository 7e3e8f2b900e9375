package dev.deliverytracker.webhook.http;

import dev.deliverytracker.support.DeliveryService;
import dev.deliverytracker.kafka.embedded.TopicReader;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaExtension;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.DeadRecordHeaders;
import dev.deliverytracker.schemas.topics.SerdeSettings;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import dev.deliverytracker.webhook.security.HmacSignatures;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * webhook-ingest through the real Netty server onto the real embedded broker: what is stored, what is refused with
 * which answer, what is counted, and that nothing refused is ever written.
 */
class WebhookIngestServiceTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String REGISTRY = "webhook-ingest-test";
    private static final String SECRET = "test-secret-new";
    private static final String OLD_SECRET = "test-secret-old";
    private static final TopicCatalogue TOPICS = TopicCatalogue.defaults();
    private static final String INHOUSE_SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString("in-house key".getBytes(StandardCharsets.UTF_8));

    private static EmbeddedServer server;
    private static WebhookMetrics metrics;
    private static KafkaConsumer<String, ProviderReport> consumer;
    private static KafkaConsumer<byte[], byte[]> deadConsumer;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        KAFKA.broker().createTopic(TOPICS.reports().name(), 3);
        KAFKA.broker().createTopic(TOPICS.deadRecords().name(), 1);
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("kafka.bootstrap.servers", KAFKA.bootstrapServers());
        props.put("schema.registry.url", "mock://" + REGISTRY);
        props.put("schema.registry.auto-register", true);
        props.put("delivery.webhooks.providers.bizgo.secrets", OLD_SECRET + "," + SECRET);
        props.put("delivery.webhooks.providers.bizgo.allowed-sources", "127.0.0.1/32");
        // the same provider as the operator would run it: Bizgo's own source addresses only
        props.put("delivery.webhooks.providers.bizgo-strict.type", "bizgo");
        props.put("delivery.webhooks.providers.bizgo-strict.paths", "/webhooks/bizgo-strict");
        props.put("delivery.webhooks.providers.bizgo-strict.secrets", SECRET);
        props.put("delivery.webhooks.providers.bizgo-strict.allowed-sources", "211.115.98.154,211.115.98.155");
        props.put("delivery.webhooks.providers.bizgo-silent.type", "bizgo");
        props.put("delivery.webhooks.providers.bizgo-silent.paths", "/webhooks/bizgo-silent");
        props.put("delivery.webhooks.providers.bizgo-silent.secrets", SECRET);
        props.put("delivery.webhooks.providers.bizgo-silent.allowed-sources", "211.115.98.154");
        props.put("delivery.webhooks.providers.bizgo-silent.silent-reject-sources", true);
        props.put("delivery.webhooks.providers.inhouse.type", "standard-webhooks");
        props.put("delivery.webhooks.providers.inhouse.paths", "/webhooks/inhouse");
        props.put("delivery.webhooks.providers.inhouse.secrets", INHOUSE_SECRET);
        props.put("delivery.webhooks.providers.inhouse.allow-any-source", true);
        props.put("delivery.webhooks.providers.inhouse.mapping.msg-key", "/messageId");
        props.put("delivery.webhooks.providers.inhouse.mapping.delivered", "/delivered");
        props.put("delivery.webhooks.providers.inhouse.mapping.code", "/reason");
        server = DeliveryService.WEBHOOK_INGEST.start(props);
        metrics = server.getApplicationContext().getBean(WebhookMetrics.class);
        SerdeSettings serdes = new SerdeSettings(MockSchemaRegistry.scope(REGISTRY), true);
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "webhook-test-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                TOPICS.reports().keySerde(serdes).deserializer(), TOPICS.reports().valueSerde(serdes).deserializer());
        consumer.subscribe(List.of(TOPICS.reports().name()));
        deadConsumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "webhook-test-dead-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        deadConsumer.subscribe(List.of(TOPICS.deadRecords().name()));
    }

    @AfterAll
    static void stop() {
        consumer.close();
        deadConsumer.close();
        server.close(); // before the broker goes
        MockSchemaRegistry.dropScope(REGISTRY);
    }

    @Test
    void aSignedReportIsStoredThenAcknowledgedWithItsMsgKey() throws Exception {
        HttpResponse<String> response = post("/webhook/bizgo/alimtalk", signedHeaders(SECRET), report("mk-ok-1", "10000"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"msgKey\":\"mk-ok-1\"}");

        List<ConsumerRecord<String, ProviderReport>> stored = readReports(1);
        assertThat(stored).hasSize(1);
        ConsumerRecord<String, ProviderReport> record = stored.get(0);
        assertThat(record.key()).isEqualTo("mk-ok-1");
        assertThat(record.value().getReportCode()).isEqualTo("10000");
        assertThat(record.value().getChannel()).isEqualTo(Channel.ALIMTALK);
        assertThat(record.value().getProvider()).isEqualTo("bizgo");
        assertThat(record.value().getSignatureVerified()).isTrue();
        assertThat(record.value().getSourceAddress()).isEqualTo("127.0.0.1");
        assertThat(record.value().getReceivedAt()).isBefore(Instant.now().plusSeconds(1));

        // the old secret still verifies during a rotation; a duplicate is stored as it comes
        assertThat(post("/webhooks/bizgo", signedHeaders(OLD_SECRET), report("mk-ok-1", "10000")).statusCode()).isEqualTo(200);
        assertThat(readReports(1)).extracting(ConsumerRecord::key).containsExactly("mk-ok-1");
    }

    @Test
    void aStandardWebhooksSenderIsVerifiedMappedAndStored() throws Exception {
        String body = "{\"messageId\":\"mk-std-1\",\"delivered\":false,\"reason\":\"E42\"}";
        String id = "msg_1";
        String ts = Long.toString(Instant.now().getEpochSecond());
        byte[] key = java.util.Base64.getDecoder().decode(INHOUSE_SECRET.substring("whsec_".length()));
        String signature = "v1," + java.util.Base64.getEncoder().encodeToString(
                HmacSignatures.hmac(key, (id + "." + ts + "." + body).getBytes(StandardCharsets.UTF_8)));
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json",
                "webhook-id", id, "webhook-timestamp", ts, "webhook-signature", signature));
        HttpResponse<String> response = post("/webhooks/inhouse", headers, body);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"msgKey\":\"mk-std-1\"}");
        List<ConsumerRecord<String, ProviderReport>> stored = readReports(1);
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).value().getProvider()).isEqualTo("inhouse");
        assertThat(stored.get(0).value().getReportCode()).isEqualTo("E42");

        headers.put("webhook-signature", "v1," + java.util.Base64.getEncoder().encodeToString(new byte[32]));
        expectRefusal("inhouse", "bad_signature", 401, post("/webhooks/inhouse", headers, body));
        assertThat(readReports(0)).isEmpty();
    }

    @Test
    void everyRefusalHasItsAnswerIsCountedAndStoresNothing() throws Exception {
        Map<String, String> signed = signedHeaders(SECRET);
        expectRefusal("unknown", "unknown_route", 404, post("/webhooks/nobody", signed, report("mk-r", "10000")));

        Map<String, String> badSignature = new HashMap<>(signed);
        badSignature.put("X-IB-Signature", "00".repeat(32));
        expectRefusal("bizgo", "bad_signature", 401, post("/webhooks/bizgo", badSignature, report("mk-r", "10000")));

        String stale = Long.toString(Instant.now().minus(Duration.ofMinutes(6)).toEpochMilli());
        Map<String, String> staleHeaders = headers(stale, sign(SECRET, stale));
        expectRefusal("bizgo", "stale_timestamp", 401, post("/webhooks/bizgo", staleHeaders, report("mk-r", "10000")));

        Map<String, String> textPlain = new HashMap<>(signed);
        textPlain.put("Content-Type", "text/plain");
        expectRefusal("bizgo", "unsupported_media_type", 415, post("/webhooks/bizgo", textPlain, report("mk-r", "10000")));

        expectRefusal("bizgo", "malformed", 400, post("/webhooks/bizgo", signed, "{not json"));
        expectRefusal("bizgo", "missing_field", 400, post("/webhooks/bizgo", signed, "{\"reportCode\":\"10000\"}"));

        String big = "{\"msgKey\":\"mk-r\",\"reportCode\":\"10000\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";
        expectRefusal("bizgo", "too_large", 413, post("/webhooks/bizgo", signed, big));

        // 127.0.0.1 is not a trusted proxy here, so its X-Forwarded-For is not believed
        Map<String, String> forged = new HashMap<>(signed);
        forged.put("X-Forwarded-For", "211.115.98.154");
        expectRefusal("bizgo-strict", "disallowed_source", 403, post("/webhooks/bizgo-strict", forged, report("mk-r", "10000")));

        double before = metrics.rejections("bizgo-silent", "disallowed_source");
        HttpResponse<String> silent = post("/webhooks/bizgo-silent", signed, report("mk-r", "10000"));
        assertThat(silent.statusCode()).isEqualTo(200);
        assertThat(metrics.rejections("bizgo-silent", "disallowed_source")).isEqualTo(before + 1);

        assertThat(readReports(0)).as("nothing refused is stored").isEmpty();
    }

    /**
     * Refused, but verified and from an allowed source: the raw report is kept on the dead-records topic with the
     * reason (phone numbers masked) before the 400. The identifying fields are strict (a numeric msgKey, a 5,000
     * character reportCode are refused); the descriptive ones are loose (a number or an object is kept as text).
     */
    @Test
    void aVerifiedReportThatCannotBeReadIsKeptWithItsReasonAndOptionalFieldsAreLoose() throws Exception {
        Map<String, String> signed = signedHeaders(SECRET);
        expectRefusal("bizgo", "malformed", 400, post("/webhooks/bizgo", signed, "{\"msgKey\":0,\"reportCode\":\"10000\",\"ref\":\"case-numeric\"}"));
        expectRefusal("bizgo", "malformed", 400, post("/webhooks/bizgo", signed,
                "{\"msgKey\":\"mk-junk\",\"reportCode\":\"" + "x".repeat(5000) + "\",\"ref\":\"case-junk\"}"));
        expectRefusal("bizgo", "missing_field", 400, post("/webhooks/bizgo", signed,
                "{\"msgKey\":\"mk-nocode\",\"ref\":\"case-missing 010-1234-5678\"}"));
        Map<String, String> badSignature = new HashMap<>(signed);
        badSignature.put("X-IB-Signature", "00".repeat(32));
        expectRefusal("bizgo", "bad_signature", 401, post("/webhooks/bizgo", badSignature, "{\"msgKey\":0,\"ref\":\"case-unverified\"}"));

        List<ConsumerRecord<byte[], byte[]>> kept = TopicReader.readUntil(deadConsumer, records -> records.stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains("case-")).count() >= 3,
                Duration.ofSeconds(30), Duration.ofMillis(700)).stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains("case-")).toList();
        assertThat(kept).extracting(r -> new String(r.value(), StandardCharsets.UTF_8).replaceAll(".*(case-[a-z]+).*", "$1"))
                .as("the unverified one is not kept").containsExactly("case-numeric", "case-junk", "case-missing");
        assertThat(kept).allSatisfy(r -> {
            assertThat(deadHeader(r, DeadRecordHeaders.APPLICATION)).isEqualTo("webhook-ingest");
            assertThat(deadHeader(r, DeadRecordHeaders.SOURCE)).isEqualTo("bizgo webhook from 127.0.0.1");
            assertThat(deadHeader(r, DeadRecordHeaders.STAGE)).isEqualTo("validate");
        });
        assertThat(deadHeader(kept.get(0), DeadRecordHeaders.MESSAGE)).contains("msgKey must be a JSON string");
        assertThat(deadHeader(kept.get(1), DeadRecordHeaders.MESSAGE)).contains("reportCode must be 1 to 16");
        assertThat(deadHeader(kept.get(2), DeadRecordHeaders.EXCEPTION)).isEqualTo("missing_field");
        assertThat(new String(kept.get(2).value(), StandardCharsets.UTF_8)).contains("010-****-5678").doesNotContain("1234");

        String loose = "{\"msgKey\":\"mk-loose\",\"reportCode\":10000,\"reportText\":123,\"carrier\":5,"
                + "\"ref\":{\"order\":1},\"serviceType\":\"ALIMTALK\"}";
        assertThat(post("/webhooks/bizgo", signed, loose).statusCode()).isEqualTo(200);
        ProviderReport stored = readReports(1).get(0).value();
        assertThat(stored.getMsgKey()).isEqualTo("mk-loose");
        assertThat(stored.getReportCode()).isEqualTo("10000");
        assertThat(stored.getReportText()).isEqualTo("123");
        assertThat(stored.getCarrier()).isEqualTo("5");
        assertThat(stored.getRef()).isEqualTo("{\"order\":1}");
    }

    private static String deadHeader(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /**
     * A few thousand malformed requests: random bytes, deep nesting, huge numbers, wrong types, invalid UTF-8, bad
     * headers. None gets a 5xx, none is stored, and the server still serves a good report afterwards.
     */
    @Test
    void malformedInputNeverBreaksTheServerAndIsNeverStored() throws Exception {
        Random random = new Random(42);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            byte[] noise = new byte[random.nextInt(300)];
            random.nextBytes(noise);
            bodies.add(noise);
        }
        String[] shapes = {
                "[".repeat(3000), "{\"a\":".repeat(2000), "{\"msgKey\":\"k\",\"reportCode\":" + "1".repeat(3000) + "}",
                "{\"msgKey\":1e999,\"reportCode\":\"1\"}", "{\"msgKey\":[\"k\"],\"reportCode\":\"1\"}", "{\"msgKey\":true,\"reportCode\":\"1\"}",
                "{\"msgKey\":\"k\",\"reportCode\":{}}", "null", "\"just a string\"", "{}", "{\"msgKey\":\"\",\"reportCode\":\"1\"}",
                "{\"msgKey\":\"" + "k".repeat(500) + "\",\"reportCode\":\"1\"}", "{\"msgKey\":\"k\",\"reportCode\":\"1\"",
                "{\"msgKey\":\"k\",\"reportCode\":\"1\"}{}", "\u0000\u0000", "{\"msgKey\":\"k\\ud800\",\"reportCode\":null}"};
        for (int i = 0; i < 500; i++) {
            for (String shape : shapes) {
                if (random.nextInt(shapes.length * 10) == 0) {
                    bodies.add(shape.getBytes(StandardCharsets.UTF_8));
                }
            }
            bodies.add(new byte[]{'{', '"', 'm', 's', 'g', 'K', 'e', 'y', '"', ':', '"', (byte) (0x80 + random.nextInt(0x40)), '"', '}'});
        }
        for (String shape : shapes) {
            bodies.add(shape.getBytes(StandardCharsets.UTF_8));
        }
        int requests = 0;
        for (byte[] body : bodies) {
            Map<String, String> headers = signedHeaders(SECRET);
            switch (requests % 5) {
                case 1 -> headers.put("X-IB-Signature", HexFormat.of().formatHex(body, 0, Math.min(body.length, 32)));
                case 2 -> headers.put("X-IB-Timestamp", "99999999999999999999");
                case 3 -> headers.put("Content-Type", "application/json; charset=latin1");
                default -> { }
            }
            HttpResponse<String> response = post(requests % 2 == 0 ? "/webhooks/bizgo" : "/webhook/bizgo/alimtalk", headers, body);
            assertThat(response.statusCode()).as("request %d", requests).isBetween(400, 499);
            requests++;
        }
        assertThat(requests).isGreaterThan(2000);
        assertThat(readReports(0)).as("nothing malformed is stored").isEmpty();
        assertThat(post("/webhooks/bizgo", signedHeaders(SECRET), report("mk-after-fuzz", "10000")).statusCode()).isEqualTo(200);
        assertThat(readReports(1)).extracting(ConsumerRecord::key).containsExactly("mk-after-fuzz");
    }

    private static void expectRefusal(String provider, String reason, int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(reason).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(reason).hasValue("application/problem+json");
        assertThat(response.body()).as(reason).contains("\"status\":" + status).doesNotContain("010-");
        assertThat(metrics.rejections(provider, reason)).as("metric for %s", reason).isGreaterThanOrEqualTo(1);
    }

    /** Reads what arrived on the reports topic: waits for {@code expected} records, then proves nothing else came. */
    private static List<ConsumerRecord<String, ProviderReport>> readReports(int expected) {
        return TopicReader.readAtLeast(consumer, expected, Duration.ofSeconds(30), Duration.ofMillis(700));
    }

    static String report(String msgKey, String code) {
        return "{\"msgKey\":\"" + msgKey + "\",\"serviceType\":\"ALIMTALK\",\"msgType\":\"AT\",\"reportType\":\"RPT\","
                + "\"reportCode\":\"" + code + "\",\"reportText\":\"ok\",\"reportTime\":\"2026-11-22T12:00:01.000+09:00\"}";
    }

    static Map<String, String> signedHeaders(String secret) {
        String ts = Long.toString(Instant.now().toEpochMilli());
        return headers(ts, sign(secret, ts));
    }

    private static Map<String, String> headers(String ts, String signature) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-IB-Timestamp", ts);
        headers.put("X-IB-Signature", signature);
        return headers;
    }

    static String sign(String secret, String timestamp) {
        return HexFormat.of().formatHex(HmacSignatures.hmac(secret.getBytes(StandardCharsets.UTF_8), timestamp.getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpResponse<String> post(String path, Map<String, String> headers, String body) throws Exception {
        return post(path, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> post(String path, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
