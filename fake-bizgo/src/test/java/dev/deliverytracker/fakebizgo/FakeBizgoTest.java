package dev.deliverytracker.fakebizgo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The fake answers in Bizgo's documented shapes; these pin the parts send-service and webhook-ingest rely on. */
class FakeBizgoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "test-api-key";
    private final HttpClient client = HttpClient.newHttpClient();
    private FakeBizgo fake;
    private HttpServer receiver;

    @AfterEach
    void stop() {
        if (fake != null) {
            fake.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void acceptsEachDestinationWithAFreshMsgKeyAndAllThreeLayersA000() throws Exception {
        fake = FakeBizgo.builder(KEY).start();
        JsonNode answer = send(KEY, body("01012345600", "01012345601"));
        assertThat(answer.at("/common/authCode").asText()).isEqualTo("A000");
        assertThat(answer.at("/data/code").asText()).isEqualTo("A000");
        JsonNode destinations = answer.at("/data/data/destinations");
        assertThat(destinations).hasSize(2);
        assertThat(destinations.get(0).get("code").asText()).isEqualTo("A000");
        String first = destinations.get(0).get("msgKey").asText();
        String second = destinations.get(1).get("msgKey").asText();
        assertThat(first).hasSize(32).isNotEqualTo(second);
        // requestId = msgKey minus its last three characters (the documented relation)
        assertThat(first.substring(0, 29)).isEqualTo(second.substring(0, 29));
    }

    @Test
    void wrongKeyIsAGatewayA401WithoutData() throws Exception {
        fake = FakeBizgo.builder(KEY).start();
        HttpResponse<String> response = post("Bearer " + KEY, body("01012345600"));
        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.at("/common/authCode").asText()).isEqualTo("A401");
        assertThat(answer.has("data")).isFalse();
    }

    @Test
    void idempotencyKeyNeedsATtlAndARepeatIsA301WithTheSameMsgKey() throws Exception {
        fake = FakeBizgo.builder(KEY).start();
        String withoutTtl = body("01012345600").replace("\"ref\"", "\"idempotencyKey\":\"k1\",\"ref\"");
        HttpResponse<String> refused = post(KEY, withoutTtl);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).at("/data/code").asText()).isEqualTo("A309");

        String keyed = body("01012345600").replace("\"ref\"", "\"idempotencyKey\":\"k2\",\"idempotencyTtl\":60,\"ref\"");
        JsonNode first = send(KEY, keyed);
        JsonNode again = send(KEY, keyed);
        assertThat(again.at("/data/code").asText()).isEqualTo("A000");
        assertThat(again.at("/data/data/destinations/0/code").asText()).isEqualTo("A301");
        assertThat(again.at("/data/data/destinations/0/msgKey").asText())
                .isEqualTo(first.at("/data/data/destinations/0/msgKey").asText());
        assertThat(fake.acceptedMessages()).isEqualTo(1);
    }

    @Test
    void moreThan200DestinationsIsA318() throws Exception {
        fake = FakeBizgo.builder(KEY).start();
        String[] numbers = new String[201];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = "0101234" + String.format("%04d", i);
        }
        HttpResponse<String> response = post(KEY, body(numbers));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/data/code").asText()).isEqualTo("A318");
    }

    @Test
    void webhookReportsAreSignedOverTheTimestampAndFallbackArrivesInOrder() throws Exception {
        List<Map<String, String>> received = new CopyOnWriteArrayList<>();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            try (exchange) {
                JsonNode report = JSON.readTree(exchange.getRequestBody());
                String timestamp = exchange.getRequestHeaders().getFirst("X-IB-Timestamp");
                received.add(Map.of("code", report.get("reportCode").asText(), "serviceType", report.get("serviceType").asText(),
                        "signatureOk", Boolean.toString(FakeBizgo.sign("s3cret", timestamp)
                                .equals(exchange.getRequestHeaders().getFirst("X-IB-Signature")))));
                byte[] ack = ("{\"msgKey\":\"" + report.get("msgKey").asText() + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, ack.length);
                exchange.getResponseBody().write(ack);
            }
        });
        receiver.start();
        fake = FakeBizgo.builder(KEY)
                .reports(ReportDelivery.webhook(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"), "s3cret"))
                .reportDelay(Duration.ofMillis(10))
                .start();
        send(KEY, body("01012345681")); // 80-84: AlimTalk 64016, then SMS delivered
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
        assertThat(received).containsExactly(
                Map.of("code", "64016", "serviceType", "ALIMTALK", "signatureOk", "true"),
                Map.of("code", "10000", "serviceType", "SMS", "signatureOk", "true"));
        // The receiver records a report before it answers, and the fake counts the acknowledgement only after reading
        // that answer, so the count is awaited rather than read at once (it raced in CI).
        await().atMost(Duration.ofSeconds(10)).until(() -> fake.webhooksAcknowledged() == 2);
        assertThat(fake.webhooksAcknowledged()).isEqualTo(2);
    }

    @Test
    void pollingReturnsTheSameBatchUntilDeleted() throws Exception {
        fake = FakeBizgo.builder(KEY).reportDelay(Duration.ZERO).start();
        String msgKey = send(KEY, body("01012345600")).at("/data/data/destinations/0/msgKey").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> fake.reportsAwaitingPoll() == 1);
        JsonNode first = get(FakeBizgo.POLLING_PATH);
        JsonNode second = get(FakeBizgo.POLLING_PATH);
        String reportId = first.at("/data/data/reportId").asText();
        assertThat(reportId).isNotEmpty().isEqualTo(second.at("/data/data/reportId").asText());
        assertThat(first.at("/data/data/report/0/msgKey").asText()).isEqualTo(msgKey);
        assertThat(first.at("/data/data/report/0/reportTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+09:00");
        HttpResponse<String> ack = client.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + FakeBizgo.POLLING_PATH + "/" + reportId))
                .header("Authorization", KEY).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ack.statusCode()).isEqualTo(200);
        JsonNode empty = get(FakeBizgo.POLLING_PATH);
        assertThat(empty.at("/data/data/reportId").asText()).isEmpty();
        assertThat(empty.at("/data/data/report").isNull()).isTrue();
        assertThat(get(FakeBizgo.INQUIRY_PATH + msgKey).at("/data/data/report/0/reportCode").asText()).isEqualTo("10000");
    }

    private static String body(String... numbers) {
        StringBuilder destinations = new StringBuilder();
        for (String number : numbers) {
            destinations.append(destinations.isEmpty() ? "" : ",").append("{\"to\":\"").append(number).append("\"}");
        }
        return "{\"destinations\":[" + destinations + "],\"messageFlow\":["
                + "{\"alimtalk\":{\"senderKey\":\"sk\",\"templateCode\":\"T1\",\"msgType\":\"AT\",\"text\":\"hi\"}},"
                + "{\"sms\":{\"from\":\"0212345678\",\"text\":\"hi\"}}],\"ref\":\"r1\"}";
    }

    private JsonNode send(String key, String body) throws Exception {
        HttpResponse<String> response = post(key, body);
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> post(String key, String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + FakeBizgo.SEND_PATH))
                .header("Authorization", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        return JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + path)).header("Authorization", KEY).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
