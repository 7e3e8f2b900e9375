package dev.deliverytracker.send.api;

import dev.deliverytracker.support.DeliveryService;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.events.SendOutcome;
import dev.deliverytracker.fakebizgo.FakeBizgo;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaExtension;
import dev.deliverytracker.kafka.embedded.TopicReader;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.deliverytracker.send.SendServiceHarness.API_KEY;
import static dev.deliverytracker.send.SendServiceHarness.AUTH_TOKEN;
import static dev.deliverytracker.send.SendServiceHarness.BILLING_TOKEN;
import static dev.deliverytracker.send.SendServiceHarness.HASH_KEY;
import static dev.deliverytracker.send.SendServiceHarness.TOPICS;
import static dev.deliverytracker.send.SendServiceHarness.config;
import static dev.deliverytracker.send.SendServiceHarness.json;
import static dev.deliverytracker.send.SendServiceHarness.message;
import static dev.deliverytracker.send.SendServiceHarness.post;
import static dev.deliverytracker.send.SendServiceHarness.send;
import static dev.deliverytracker.send.SendServiceHarness.sendsConsumer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * send-service through its real Netty server, onto the real embedded broker, against the fake Bizgo over real HTTP:
 * every answer of the API, the event recorded for each, and what reaches the provider.
 */
class SendServiceTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String REGISTRY = "send-service-test";
    private static final AtomicInteger NUMBERS = new AtomicInteger(1000);
    private static final List<String> NUMBERS_USED = new ArrayList<>();

    private static FakeBizgo bizgo;
    private static EmbeddedServer server;
    private static KafkaConsumer<String, SendEvent> sends;
    private static ListAppender<ILoggingEvent> logs;
    private static int port;

    @BeforeAll
    static void start(@TempDir Path outbox) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ((Logger) LoggerFactory.getLogger("dev.deliverytracker")).setLevel(Level.DEBUG);
        logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);

        KAFKA.broker().createTopic(TOPICS.sends().name(), 3);
        bizgo = FakeBizgo.builder(API_KEY).start();
        server = DeliveryService.SEND_SERVICE.start(config(KAFKA.bootstrapServers(), REGISTRY, bizgo.baseUrl(), outbox));
        port = server.getPort();
        sends = sendsConsumer(KAFKA.bootstrapServers(), REGISTRY);
    }

    /**
     * Runs after every test, whatever their order, so it sees every line they logged: no phone number (in any form
     * the tests used), API key, token or hash key. A failure here fails the class.
     */
    @AfterAll
    static void stop() {
        try {
            noPhoneNumberOrApiKeyAppearsInTheLogs();
        } finally {
            close();
        }
    }

    private static void close() {
        if (sends != null) {
            sends.close();
        }
        if (server != null) {
            server.close();
        }
        if (bizgo != null) {
            bizgo.close();
        }
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        MockSchemaRegistry.dropScope(REGISTRY);
    }

    @AfterEach
    void noLeftoverFailures() {
        // every test uses up what it scripted, so the next one (in any order) starts from a fake that answers normally
        assertThat(bizgo.scriptedLeft()).as("scripted fake behaviours left unused by this test").isZero();
    }

    private static void noPhoneNumberOrApiKeyAppearsInTheLogs() {
        List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).isNotEmpty();
        assertThat(lines).anyMatch(line -> line.contains("010-****-")); // masked numbers are logged
        String all = String.join("\n", lines);
        assertThat(all).doesNotContain(API_KEY).doesNotContain(BILLING_TOKEN).doesNotContain(HASH_KEY);
        synchronized (NUMBERS_USED) {
            for (String number : NUMBERS_USED) {
                assertThat(all).doesNotContain(number).doesNotContain(number.substring(0, 3) + "-" + number.substring(3, 7));
            }
        }
    }

    /** A fresh recipient number, so each test finds its own events and the log check knows every number used. */
    private static String freshNumber() {
        String number = "010-5555-" + NUMBERS.incrementAndGet();
        synchronized (NUMBERS_USED) {
            NUMBERS_USED.add(number.replace("-", ""));
        }
        return number;
    }

    private static List<ConsumerRecord<String, SendEvent>> recordsFor(String key) {
        return TopicReader.readUntil(sends, seen -> seen.stream().anyMatch(r -> key.equals(r.key())),
                Duration.ofSeconds(20), Duration.ofMillis(300)).stream().filter(r -> key.equals(r.key())).toList();
    }

    @Test
    void anAcceptedMessageIs202PendingAndRecordedWithAMaskedRecipientBeforeTheAnswer() {
        String to = freshNumber();
        HttpResponse<String> response = send(port, message(to, "invoice-1"), null);

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = json(response);
        String msgKey = body.get("msgKey").asText();
        assertThat(body.get("status").asText()).isEqualTo("PENDING");
        assertThat(body.get("tracking").asText()).isEqualTo("RECORDED");
        assertThat(body.get("statusUrl").asText()).isEqualTo("http://status.example:8083/v1/deliveries/" + msgKey);
        assertThat(response.headers().firstValue("Location")).contains(body.get("statusUrl").asText());

        List<ConsumerRecord<String, SendEvent>> records = recordsFor(msgKey);
        assertThat(records).hasSize(1);
        SendEvent event = records.get(0).value();
        assertThat(event.getOutcome()).isEqualTo(SendOutcome.ACCEPTED);
        assertThat(event.getRequestId()).isEqualTo(body.get("requestId").asText());
        assertThat(event.getFlow()).containsExactly(Channel.ALIMTALK, Channel.SMS);
        assertThat(event.getTemplateCode()).isEqualTo("INVOICE_READY");
        assertThat(event.getOrigin()).isEqualTo("billing");
        assertThat(event.getRef()).isEqualTo("invoice-1");
        assertThat(event.getProvider()).isEqualTo("bizgo");
        assertThat(event.getProviderCode()).isEqualTo("A000");
        assertThat(event.getRecipientMasked()).isEqualTo("010-****-" + to.substring(to.length() - 4));
        assertThat(event.getRecipientHash()).hasSize(64).doesNotContain(to.replace("-", ""));
        assertThat(event.toString()).doesNotContain(to.replace("-", "")).doesNotContain(to);

        // What Bizgo received: the raw key, the flow as messageFlow, the variables as replaceWords, no idempotency key.
        FakeBizgo.ReceivedSend received = bizgo.sends().get(bizgo.sends().size() - 1);
        assertThat(received.authorization()).isEqualTo(API_KEY);
        JsonNode wire = received.body();
        assertThat(wire.at("/destinations/0/to").asText()).isEqualTo(to.replace("-", ""));
        assertThat(wire.at("/destinations/0/replaceWords/name").asText()).isEqualTo("Kim");
        assertThat(wire.at("/messageFlow/0/alimtalk/templateCode").asText()).isEqualTo("INVOICE_READY");
        assertThat(wire.at("/messageFlow/0/alimtalk/senderKey").asText()).isEqualTo("default-sender-key");
        assertThat(wire.at("/messageFlow/0/alimtalk/msgType").asText()).isEqualTo("AT");
        assertThat(wire.at("/messageFlow/1/sms/from").asText()).isEqualTo("0212345678");
        assertThat(wire.has("idempotencyKey")).isFalse();
        assertThat(wire.at("/ref").asText()).isEqualTo("invoice-1");
    }

    @Test
    void aMessageTheProviderRefusesIs422WithItsCodeAndARejectedSendEvent() {
        bizgo.failNextSends(1, 400, "A325", "No permission to send on this channel");
        HttpResponse<String> response = send(port, message(freshNumber(), "invoice-2"), null);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.get("providerCode").asText()).isEqualTo("A325");
        assertThat(problem.get("providerMessage").asText()).isEqualTo("No permission to send on this channel");
        String requestId = problem.get("requestId").asText();

        List<ConsumerRecord<String, SendEvent>> records = recordsFor(requestId);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).value().getOutcome()).isEqualTo(SendOutcome.REJECTED);
        assertThat(records.get(0).value().getMsgKey()).isNull();
        assertThat(records.get(0).value().getProviderCode()).isEqualTo("A325");
    }

    @Test
    void theSameIdempotencyKeyGetsTheFirstAnswerWithoutASecondProviderCall() {
        String body = message(freshNumber(), "invoice-5");
        int before = bizgo.sends().size();
        HttpResponse<String> first = send(port, body, "order-5-notice");
        HttpResponse<String> again = send(port, body, "order-5-notice");

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(bizgo.sends()).hasSize(before + 1);
        JsonNode wire = bizgo.sends().get(before).body();
        assertThat(wire.get("idempotencyKey").asText()).startsWith("dt-").hasSizeLessThanOrEqualTo(200);
        assertThat(wire.get("idempotencyTtl").asLong()).isEqualTo(86_400);

        HttpResponse<String> reused = send(port, message(freshNumber(), "another"), "order-5-notice");
        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(json(reused).get("type").asText()).endsWith("idempotency-key-reused");
        assertThat(bizgo.sends()).hasSize(before + 1);
    }

    @Test
    void a999IsRetriedWithAnIdempotencyKeyWithinTheBoundedBackOff() {
        bizgo.failNextSends(2, 500, "A999", "Unknown error");
        int before = bizgo.sends().size();
        long started = System.nanoTime();
        HttpResponse<String> response = send(port, message(freshNumber(), "invoice-6"), "retry-6");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(bizgo.sends()).hasSize(before + 3);
        // the same provider key on every attempt, so Bizgo can deduplicate
        assertThat(bizgo.sends().subList(before, before + 3)).extracting(s -> s.body().get("idempotencyKey").asText()).containsOnly(
                bizgo.sends().get(before).body().get("idempotencyKey").asText());
        // back-off: 50 ms then 100 ms, ±25 %; bounded well under a second
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(110)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void a999WithoutAnIdempotencyKeyIsNotRetriedAndIs503SayingWhy() {
        bizgo.failNextSends(1, 500, "A999", "Unknown error");
        int before = bizgo.sends().size();
        HttpResponse<String> response = send(port, message(freshNumber(), "invoice-7"), null);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(response).get("detail").asText()).contains("A999").contains("Idempotency-Key");
        assertThat(bizgo.sends()).hasSize(before + 1);
    }

    @Test
    void retriesStopAtTheLimitAndTheProviderIsReported503() {
        bizgo.failNextSends(5, 503, "A920", "Server busy");
        int before = bizgo.sends().size();
        String body = message(freshNumber(), "invoice-8");
        HttpResponse<String> response = send(port, body, "retry-8");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("detail").asText()).contains("A920").contains("3 attempts");
        assertThat(bizgo.sends()).hasSize(before + 3);
        // A 503 is not remembered: the producer's retry with the same key reaches the provider again (the two
        // failures left over are retried through) under the same provider key, so Bizgo can deduplicate it.
        HttpResponse<String> retried = send(port, body, "retry-8");
        assertThat(retried.statusCode()).isEqualTo(202);
        assertThat(bizgo.sends()).hasSize(before + 6);
        assertThat(bizgo.sends().get(before + 5).body().get("idempotencyKey").asText())
                .isEqualTo(bizgo.sends().get(before).body().get("idempotencyKey").asText());
    }

    @Test
    void anAnswerLostAfterBizgoAcceptedIsRecoveredByTheRetryAsA301WithTheSameMsgKey() {
        bizgo.failAfterAcceptingNextSends(1);
        long acceptedBefore = bizgo.acceptedMessages();
        HttpResponse<String> response = send(port, message(freshNumber(), "invoice-9"), "lost-answer-9");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(bizgo.acceptedMessages()).isEqualTo(acceptedBefore + 1);
        String msgKey = json(response).get("msgKey").asText();
        assertThat(recordsFor(msgKey)).hasSize(1);
    }

    @Test
    void rateLimitingIsRetriedEvenWithoutAKey() {
        bizgo.failNextSends(1, 429, "A020", "Rate limit exceeded");
        HttpResponse<String> response = send(port, message(freshNumber(), "invoice-10"), null);
        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void aProviderThatDoesNotAnswerIs503WithinTheReadTimeoutAndNotResentWithoutAKey() {
        bizgo.hangNextSends(1);
        int before = bizgo.sends().size();
        long started = System.nanoTime();
        HttpResponse<String> response = send(port, message(freshNumber(), "invoice-11"), null);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("detail").asText()).contains("did not answer").contains("may already have accepted");
        assertThat(took).isLessThan(Duration.ofSeconds(3));
        assertThat(bizgo.sends()).hasSize(before + 1);
    }

    @Test
    void aBatchIsSplitIntoRequestsOf200AndAnsweredPerRecipient() {
        StringBuilder recipients = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            recipients.append(i == 0 ? "" : ",").append("{\"to\":\"").append(freshNumber()).append("\",\"variables\":{\"name\":\"R").append(i)
                    .append("\"},\"ref\":\"batch-").append(i).append("\"}");
        }
        String body = """
                {"origin":"billing","recipients":[%s],
                 "flow":[{"channel":"SMS","text":"#{name}: invoice ready"}]}""".formatted(recipients);
        int before = bizgo.sends().size();
        HttpResponse<String> response = post(port, "/v1/messages/batch", body, Map.of("Authorization", "Bearer " + BILLING_TOKEN));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = json(response);
        assertThat(answer.get("accepted").asInt()).isEqualTo(250);
        assertThat(answer.get("results")).hasSize(250);
        assertThat(answer.at("/results/249/index").asInt()).isEqualTo(249);
        assertThat(answer.at("/results/249/status").asInt()).isEqualTo(202);
        assertThat(bizgo.sends()).hasSize(before + 2);
        assertThat(bizgo.sends().get(before).body().get("destinations")).hasSize(200);
        assertThat(bizgo.sends().get(before + 1).body().get("destinations")).hasSize(50);
        String lastKey = answer.at("/results/249/msgKey").asText();
        List<ConsumerRecord<String, SendEvent>> records = TopicReader.readUntil(sends,
                seen -> seen.stream().filter(r -> r.value().getRef() != null && r.value().getRef().startsWith("batch-")).count() >= 250,
                Duration.ofSeconds(30), Duration.ofMillis(500));
        assertThat(records.stream().filter(r -> r.value().getRef() != null && r.value().getRef().startsWith("batch-")).count()).isEqualTo(250);
        assertThat(records.stream().filter(r -> lastKey.equals(r.key())).findFirst().orElseThrow().value().getRef()).isEqualTo("batch-249");

        String tooMany = body.replace("\"recipients\":[", "\"recipients\":[" + "{\"to\":\"01012345678\"},".repeat(251));
        HttpResponse<String> refused = post(port, "/v1/messages/batch", tooMany, Map.of("Authorization", "Bearer " + BILLING_TOKEN));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).at("/errors/recipients").asText()).contains("at most 500");
    }

    @Test
    void theOpenApiDocumentIsServedAndDescribesTheApi() {
        HttpResponse<String> response;
        try {
            response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/swagger/send-service-0.1.yml")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("/v1/messages:").contains("/v1/messages/batch:").contains("MessageAccepted").contains("\"422\"");
    }
}
