package dev.deliverytracker.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deliverytracker.fakebizgo.Scenario;
import dev.deliverytracker.support.webhook.StandardWebhookSigner;
import dev.deliverytracker.schemas.topics.TopicCatalogue;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The alerts through public interfaces only: the fake Bizgo's account starts answering 64008 and its reports go
 * through webhook-ingest, status-stream and the monitor to a real HTTP receiver, signed; deliveries succeed again
 * and the alert resolves; then Bizgo stops reporting while sends go on, and "reports went silent" fires with no
 * other traffic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitorEndToEndTest {

    private static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString("e2e-monitor-signing-key-32-bytes".getBytes(StandardCharsets.UTF_8));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private LocalPipeline pipeline;
    private AlertReceiver receiver;
    private int sequence;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        receiver = new AlertReceiver();
        pipeline = LocalPipeline.start(EndToEndScenarios.testOptions(data).withMonitorConfig(Map.of(
                "delivery.monitor.channels.webhook.url", receiver.url(),
                "delivery.monitor.channels.webhook.secret", SECRET,
                "delivery.monitor.rules.account-failure.resolve-after", "5s",
                "delivery.monitor.rules.reports-silent.silence-after", "20s",
                "delivery.monitor.rules.reports-silent.min-sends", "3",
                "delivery.monitor.catch-up-grace", "5s")));
    }

    @AfterAll
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    @Order(1)
    void aSuspendedAccountReachesTheReceiverSignedWithinAMinuteAndResolvesWhenDeliveriesSucceed() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(send("010-5000-10" + String.format("%02d", i)).statusCode()).isEqualTo(202); // delivered: the account worked
        }
        pipeline.bizgo().defaultScenario(to -> Scenario.failed("64008"));
        Instant firstFailingSend = Instant.now();
        for (int i = 0; i < 5; i++) {
            assertThat(send("010-5001-10" + String.format("%02d", i)).statusCode()).isEqualTo(202); // still accepted: A000
        }
        AlertReceiver.Received firing = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> find("DeliveryAccountFailure", "firing"), Optional::isPresent).orElseThrow();
        assertThat(Duration.between(firstFailingSend, firing.at())).isLessThan(Duration.ofSeconds(60));
        assertSigned(firing);
        JsonNode body = firing.json();
        assertThat(body.path("version").asText()).isEqualTo("4");
        JsonNode alert = body.path("alerts").get(0);
        assertThat(alert.path("labels").path("provider").asText()).isEqualTo("bizgo");
        assertThat(alert.path("labels").path("severity").asText()).isEqualTo("critical");
        assertThat(alert.path("annotations").path("summary").asText()).contains("64008");
        assertThat(alert.path("fingerprint").asText()).hasSize(16);
        assertThat(receiver.received).as("one suspended account makes one page: no failure-rate alerts beside it")
                .noneMatch(r -> r.json().path("groupLabels").path("alertname").asText().equals("DeliveryFailureRateHigh"));

        pipeline.bizgo().defaultScenario(Scenario::byNumber);
        for (int i = 0; i < 3; i++) {
            assertThat(send("010-5002-10" + String.format("%02d", i)).statusCode()).isEqualTo(202);
        }
        AlertReceiver.Received resolved = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> find("DeliveryAccountFailure", "resolved"), Optional::isPresent).orElseThrow();
        assertSigned(resolved);
        assertThat(resolved.json().path("alerts").get(0).path("fingerprint").asText()).isEqualTo(alert.path("fingerprint").asText());
        assertThat(resolved.json().path("alerts").get(0).path("endsAt").asText()).isNotEqualTo("0001-01-01T00:00:00Z");
        assertThat(receiver.received.stream().filter(r -> r.json().path("groupLabels").path("alertname").asText()
                .equals("DeliveryAccountFailure")).count()).as("exactly one firing and one resolved notification").isEqualTo(2);

        // the monitor's own API shows the same alert, resolved
        HttpResponse<String> api = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.monitorUrl() + "/v1/alerts/"
                + alert.path("fingerprint").asText())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).contains("\"state\":\"RESOLVED\"");
    }

    @Test
    @Order(2)
    void reportsThatGoSilentWhileSendsContinueFireWithNoOtherTraffic() throws Exception {
        pipeline.bizgo().defaultScenario(to -> Scenario.silent());
        Instant firstSilentSend = Instant.now();
        for (int i = 0; i < 4; i++) {
            assertThat(send("010-5003-10" + String.format("%02d", i)).statusCode()).isEqualTo(202);
        }
        AlertReceiver.Received silent = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> find("DeliveryReportsSilent", "firing"), Optional::isPresent).orElseThrow();
        assertSigned(silent);
        assertThat(Duration.between(firstSilentSend, silent.at())).isGreaterThanOrEqualTo(Duration.ofSeconds(20));
        JsonNode alert = silent.json().path("alerts").get(0);
        assertThat(alert.path("annotations").path("count").asText()).isEqualTo("4");
        assertThat(alert.path("annotations").path("description").asText()).contains("webhook");
        pipeline.bizgo().defaultScenario(Scenario::byNumber);
    }

    /**
     * The shipped Prometheus rules name only metrics the services really export: scraped from the four running
     * services after the scenarios above, plus one rejected webhook and one unreadable send record so the counters
     * Micrometer creates on first use exist too.
     */
    @Test
    @Order(3)
    void theShippedPrometheusRulesUseOnlyMetricsTheServicesExport() throws Exception {
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.webhookIngestUrl() + "/webhooks/bizgo"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isBetween(400, 499);
        Map<String, Object> config = Map.of("bootstrap.servers", pipeline.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TopicCatalogue.defaults().sends().name(), "x".getBytes(StandardCharsets.UTF_8),
                    "not avro".getBytes(StandardCharsets.UTF_8))).get();
        }
        // created on a failed Kafka write only, which this pipeline does not have; its name is pinned in WebhookMetrics
        Set<String> onlyOnKafkaFailure = Set.of("webhook_store_failed_total");
        Set<String> used = PrometheusRulesTest.metricNames();
        assertThat(used).contains("delivery_statuses_total", "monitor_notifications_total").containsAll(onlyOnKafkaFailure);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Set<String> exported = new TreeSet<>();
            for (String url : List.of(pipeline.sendServiceUrl(), pipeline.webhookIngestUrl(), pipeline.statusStreamUrl(), pipeline.monitorUrl())) {
                String body = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
                body.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                        .forEach(line -> exported.add(line.split("[{ ]", 2)[0]));
            }
            Set<String> missing = new TreeSet<>(used);
            missing.removeAll(exported);
            missing.removeAll(onlyOnKafkaFailure);
            assertThat(missing).as("metrics named in deploy/prometheus/delivery-alerts.yml that no service exports").isEmpty();
        });
    }

    private Optional<AlertReceiver.Received> find(String alertname, String status) {
        return receiver.received.stream().filter(r -> r.json().path("groupLabels").path("alertname").asText().equals(alertname)
                && r.json().path("status").asText().equals(status)).findFirst();
    }

    /** Verified as a receiver would: HMAC-SHA256 over id.timestamp.body with the shared secret, constant-time compare. */
    private static void assertSigned(AlertReceiver.Received r) throws Exception {
        String id = r.headers().get("webhook-id");
        String timestamp = r.headers().get("webhook-timestamp");
        String signature = r.headers().get("webhook-signature");
        assertThat(id).startsWith("msg_");
        assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp))).isLessThan(300);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(SECRET.substring(6)), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        String expected = "v1," + java.util.Base64.getEncoder().encodeToString(mac.doFinal(r.body()));
        assertThat(java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8)))
                .as("signature %s", signature).isTrue();
        assertThat(StandardWebhookSigner.SIGNATURE).isEqualTo("webhook-signature");
    }

    private HttpResponse<String> send(String to) throws Exception {
        String body = """
                {"to":"%s","origin":"demo","ref":"m-%d",
                 "flow":[{"channel":"ALIMTALK","templateCode":"E2E","text":"Hi #{name}"},{"channel":"SMS","text":"Hi #{name}"}],
                 "variables":{"name":"Lee"}}""".formatted(to, ++sequence);
        return HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.sendServiceUrl() + "/v1/messages"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + LocalPipeline.DEMO_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
