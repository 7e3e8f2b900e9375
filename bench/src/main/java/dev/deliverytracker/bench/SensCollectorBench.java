package dev.deliverytracker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.events.SendOutcome;
import dev.deliverytracker.fakesens.FakeSens;
import dev.deliverytracker.support.DeliveryService;
import dev.deliverytracker.support.sens.SensSignature;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * NCP SENS result collection at scale: webhook-ingest (the real service, its collector on with the production timings)
 * against the fake SENS on a broker in its own JVM. {@code -Dmessages=N} (default 10,000) AlimTalk messages are
 * accepted by the fake in requests of 100 and their send events written to {@code delivery.sends}; each message's
 * result is final {@code -Dprocessing} after its send (default 5 s). For each message: the lag from the fake's result
 * time to its report being readable on {@code delivery.reports} by a read_committed consumer, and the result calls
 * made per settled message. Baseline in the same run: one message alone.
 */
final class SensCollectorBench {

    private static final String ACCESS = "bench-access-key";
    private static final String SECRET = "bench-secret-key";
    private static final String SERVICE = "ncp:kkobizmsg:kr:0000:bench";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SensCollectorBench() {
    }

    static void run() {
        int messages = Integer.getInteger("messages", 10_000);
        Duration processing = Duration.ofSeconds(Long.getLong("processing", 5));
        String scope = "bench-sens";
        try (BenchBroker kafka = BenchBroker.start();
             FakeSens sens = FakeSens.builder(ACCESS, SECRET, SERVICE).processing(processing).retention(Duration.ofHours(2)).start()) {
            kafka.createTopic(BenchServices.TOPICS.sends().name(), 6);
            kafka.createTopic(BenchServices.TOPICS.reports().name(), 6);
            Map<String, Object> props = BenchServices.bizgoWebhookProps(kafka.bootstrapServers(), scope, UUID.randomUUID().toString());
            props.put("delivery.collectors.ncp-sens.enabled", true);
            props.put("delivery.collectors.ncp-sens.base-url", sens.baseUrl());
            props.put("delivery.collectors.ncp-sens.access-key", ACCESS);
            props.put("delivery.collectors.ncp-sens.secret-key", SECRET);
            props.put("delivery.collectors.ncp-sens.alimtalk-service-id", SERVICE);
            props.put("delivery.collectors.application-id", "bench-sens-" + UUID.randomUUID());
            props.put("delivery.collectors.state-dir", Files.createTempDirectory("bench-sens-state").toString());
            try (EmbeddedServer webhook = DeliveryService.WEBHOOK_INGEST.start(props);
                 KafkaProducer<String, SendEvent> producer = BenchServices.sendsProducer(kafka.bootstrapServers(), scope);
                 KafkaConsumer<String, ProviderReport> reports = BenchServices.readCommitted(kafka.bootstrapServers(), scope,
                         BenchServices.TOPICS.reports())) {
                BenchServices.awaitUp(webhook);
                System.out.println("| phase | messages | result calls | calls per settled message | lag p50 | lag p99 | lag max | p99 / baseline p99 |");
                System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
                Phase baseline = phase("one message alone (baseline)", 1, sens, producer, reports, 0);
                System.out.println(baseline.row(0));
                Phase loaded = phase(String.format(Locale.ROOT, "%,d in flight", messages), messages, sens, producer, reports, 1);
                System.out.println(loaded.row(baseline.p99()));
                System.out.printf(Locale.ROOT, "%nProduction timings: first ask 5 s after the send, then a doubling pause up to 5 min, "
                        + "one call per request of up to 100 messages; results final %d s after the send.%n", processing.toSeconds());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private record Phase(String name, int messages, long calls, List<Long> lags) {
        long p99() {
            List<Long> sorted = lags.stream().sorted().toList();
            return sorted.get(BenchServices.p99Index(sorted.size()));
        }

        String row(long baselineP99) {
            return String.format(Locale.ROOT, "| %s | %,d | %,d | %.3f %s %s |", name, messages, calls, calls / (double) messages,
                    BenchServices.percentiles(lags), baselineP99 == 0 ? "1.0" : String.format(Locale.ROOT, "%.2f", p99() / (double) baselineP99));
        }
    }

    private static Phase phase(String name, int messages, FakeSens sens, KafkaProducer<String, SendEvent> producer,
                               KafkaConsumer<String, ProviderReport> reports, int offset) throws Exception {
        long callsBefore = sens.resultCalls();
        HttpClient http = HttpClient.newHttpClient();
        SensSignature signature = new SensSignature(ACCESS, SECRET);
        String path = "/alimtalk/v2/services/" + SERVICE + "/messages";
        Map<String, String> messageIds = new HashMap<>();
        Progress progress = new Progress("messages accepted by the fake SENS", messages);
        for (int sent = 0; sent < messages; ) {
            int batch = Math.min(FakeSens.MAX_MESSAGES, messages - sent);
            ObjectNode body = JSON.createObjectNode().put("plusFriendId", "@bench").put("templateCode", "BENCH");
            for (int i = 0; i < batch; i++) {
                int n = offset * 1_000_000 + sent + i;
                body.withArray("messages").addObject().put("countryCode", "82")
                        .put("to", String.format(Locale.ROOT, "010%06d%02d", n / 80, n % 80)).put("content", "bench");
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sens.baseUrl() + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            signature.headers("POST", path, System.currentTimeMillis()).forEach(request::header);
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode answer = JSON.readTree(response.body());
            Instant now = Instant.now();
            for (JsonNode m : answer.path("messages")) {
                String msgKey = answer.path("requestId").asText() + ":" + m.path("messageId").asText();
                messageIds.put(msgKey, m.path("messageId").asText());
                producer.send(new ProducerRecord<>(BenchServices.TOPICS.sends().name(), msgKey, SendEvent.newBuilder()
                        .setEventId(UUID.randomUUID().toString()).setOutcome(SendOutcome.ACCEPTED).setMsgKey(msgKey)
                        .setRequestId("bench-" + msgKey).setProvider("ncp-sens").setFlow(List.of(Channel.ALIMTALK)).setTemplateCode("BENCH")
                        .setRecipientMasked("010-****-0000").setRecipientHash(null).setOrigin("bench").setRef(null).setAcceptedAt(now)
                        .setTimeoutMillis(null).setProviderCode("A000").setProviderMessage("성공").build()));
            }
            sent += batch;
            progress.update(sent);
        }
        producer.flush();
        List<Long> lags = new ArrayList<>();
        Map<String, Boolean> seen = new HashMap<>();
        Progress settled = new Progress("results on delivery.reports", messages);
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (seen.size() < messages && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, ProviderReport> record : reports.poll(Duration.ofMillis(200))) {
                long readAt = System.currentTimeMillis();
                String messageId = messageIds.get(record.key());
                if (messageId != null && seen.put(record.key(), true) == null) {
                    lags.add(readAt - sens.resultTime(messageId).toEpochMilli());
                }
            }
            settled.update(seen.size());
        }
        if (seen.size() < messages) {
            throw new IllegalStateException("only " + seen.size() + " of " + messages + " results reached delivery.reports within 15 minutes");
        }
        return new Phase(name, messages, sens.resultCalls() - callsBefore, lags);
    }
}
