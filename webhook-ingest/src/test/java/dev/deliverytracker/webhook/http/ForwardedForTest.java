package dev.deliverytracker.webhook.http;

import dev.deliverytracker.support.DeliveryService;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaExtension;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a trusted load balancer, the source is the rightmost untrusted address over every {@code X-Forwarded-For}
 * line, so a line the sender wrote itself cannot claim the provider's address; paths are never echoed raw.
 */
class ForwardedForTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String REGISTRY = "webhook-forwarded-test";
    private static final String SECRET = "forwarded-secret";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static EmbeddedServer server;

    @BeforeAll
    static void start() {
        KAFKA.broker().createTopic("delivery.reports", 1);
        server = DeliveryService.WEBHOOK_INGEST.start(Map.of(
                "micronaut.server.port", -1,
                "kafka.bootstrap.servers", KAFKA.bootstrapServers(),
                "schema.registry.url", "mock://" + REGISTRY,
                "schema.registry.auto-register", true,
                "delivery.webhooks.trusted-proxies", "127.0.0.1/32",
                "delivery.webhooks.providers.bizgo.secrets", SECRET,
                "delivery.webhooks.providers.bizgo.allowed-sources", "211.115.98.154"));
    }

    @AfterAll
    static void stop() {
        server.close();
        MockSchemaRegistry.dropScope(REGISTRY);
    }

    @Test
    void aForgedFirstLineDoesNotHideTheAddressTheLoadBalancerAppended() throws Exception {
        HttpResponse<String> forged = post("/webhooks/bizgo", List.of("211.115.98.154", "203.0.113.9"));
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(403);
        assertThat(forged.body()).contains("203.0.113.9");

        HttpResponse<String> genuine = post("/webhooks/bizgo", List.of("203.0.113.9, 211.115.98.154"));
        assertThat(genuine.statusCode()).as(genuine.body()).isEqualTo(200);
        HttpResponse<String> genuineOverTwoLines = post("/webhooks/bizgo", List.of("203.0.113.9", "211.115.98.154"));
        assertThat(genuineOverTwoLines.statusCode()).as(genuineOverTwoLines.body()).isEqualTo(200);
    }

    @Test
    void anUnknownPathIsAnsweredAndLoggedWithoutItsControlCharacters() throws Exception {
        HttpResponse<String> response = post("/webhooks/evil%0D%0A2026-12-02%20INFO%20forged", List.of());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("\r").doesNotContain("\n").contains("evil%0D%0A2026"); // never decoded

        // whatever reaches the message (a decoded path, a raw byte Netty let through) is escaped and bounded
        assertThat(WebhookController.printable("/a\r\nINFO forged\u2028x")).isEqualTo("/a\\u000d\\u000aINFO forged\\u2028x");
        assertThat(WebhookController.printable("/" + "p".repeat(500))).hasSize(203).endsWith("...");
    }

    private static HttpResponse<String> post(String path, List<String> forwardedFor) throws Exception {
        String ts = Long.toString(System.currentTimeMillis());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("X-IB-Timestamp", ts)
                .header("X-IB-Signature", WebhookIngestServiceTest.sign(SECRET, ts))
                .POST(HttpRequest.BodyPublishers.ofString(WebhookIngestServiceTest.report("mk-fwd-" + ts, "10000")));
        forwardedFor.forEach(line -> request.header("X-Forwarded-For", line));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
