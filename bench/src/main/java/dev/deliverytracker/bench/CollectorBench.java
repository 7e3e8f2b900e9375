package dev.deliverytracker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.events.SendOutcome;
import dev.deliverytracker.fakealigo.FakeAligo;
import dev.deliverytracker.fakesens.FakeSens;
import dev.deliverytracker.support.DeliveryService;
import dev.deliverytracker.support.RecipientHash;
import dev.deliverytracker.support.aligo.AligoToken;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Result collection at scale, per provider that pushes no reports: webhook-ingest (the real service, its collectors on
 * with the production timings) against the fake NCP SENS and the fake Aligo, on a broker in its own JVM. For each
 * provider, {@code -Dmessages=N} (default 10,000) AlimTalk messages are accepted by its fake in requests of its
 * largest size (SENS 100, Aligo 500) and their send events written to {@code delivery.sends}; each result is final
 * {@code -Dprocessing} after its send (default 5 s). Measured: result calls per settled message, and the lag from the
 * fake's result time to the report being readable on {@code delivery.reports} by a read_committed consumer. Baseline
 * in the same run: one message alone, per provider.
 */
final class CollectorBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HASH_KEY = "bench-recipient-hash-key-32bytes";

    /** A fake provider as the benchmark drives it. */
    private interface Provider {
        String name();

        int requestSize();

        /** Has the fake accept one request for {@code numbers}; answers each message's msgKey, in order. */
        List<String> accept(List<String> numbers) throws Exception;

        Instant resultTime(String msgKey);

        long calls();
    }

    private CollectorBench() {
    }

    static void run() {
        int messages = Integer.getInteger("messages", 10_000);
        Duration processing = Duration.ofSeconds(Long.getLong("processing", 5));
        String scope = "bench-collectors";
        RecipientHash hash = new RecipientHash(HASH_KEY);
        try (BenchBroker kafka = BenchBroker.start();
             FakeSens sens = FakeSens.builder("bench-access", "bench-secret", "ncp:kkobizmsg:kr:0000:bench").processing(processing)
                     .retention(Duration.ofHours(2)).start();
             FakeAligo aligo = FakeAligo.builder("bench-aligo-key", "bench").processing(processing).start()) {
            kafka.createTopic(BenchServices.TOPICS.sends().name(), 6);
            kafka.createTopic(BenchServices.TOPICS.reports().name(), 6);
            Map<String, Object> props = BenchServices.bizgoWebhookProps(kafka.bootstrapServers(), scope, UUID.randomUUID().toString());
            props.put("delivery.collectors.ncp-sens.enabled", true);
            props.put("delivery.collectors.ncp-sens.base-url", sens.baseUrl());
            props.put("delivery.collectors.ncp-sens.access-key", "bench-access");
            props.put("delivery.collectors.ncp-sens.secret-key", "bench-secret");
            props.put("delivery.collectors.ncp-sens.alimtalk-service-id", sens.serviceId());
            props.put("delivery.collectors.aligo.enabled", true);
            props.put("delivery.collectors.aligo.base-url", aligo.baseUrl());
            props.put("delivery.collectors.aligo.sms-base-url", aligo.baseUrl());
            props.put("delivery.collectors.aligo.api-key", "bench-aligo-key");
            props.put("delivery.collectors.aligo.user-id", "bench");
            props.put("delivery.collectors.aligo.recipient-hash-key", HASH_KEY);
            props.put("delivery.collectors.application-id", "bench-collectors-" + UUID.randomUUID());
            props.put("delivery.collectors.state-dir", Files.createTempDirectory("bench-collector-state").toString());
            try (EmbeddedServer webhook = DeliveryService.WEBHOOK_INGEST.start(props);
                 KafkaProducer<String, SendEvent> producer = BenchServices.sendsProducer(kafka.bootstrapServers(), scope);
                 KafkaConsumer<String, ProviderReport> reports = BenchServices.readCommitted(kafka.bootstrapServers(), scope,
                         BenchServices.TOPICS.reports())) {
                BenchServices.awaitUp(webhook);
                System.out.println("| provider | phase | messages | result calls | calls per settled message | lag p50 | lag p99 | lag max | p99 / baseline p99 |");
                System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
                int offset = 0;
                for (Provider provider : List.of(sens(sens), aligo(aligo))) {
                    Phase baseline = phase(provider, "one message alone (baseline)", 1, offset++, hash, producer, reports);
                    System.out.println(baseline.row(0));
                    Phase loaded = phase(provider, String.format(Locale.ROOT, "%,d in flight", messages), messages, offset++, hash, producer, reports);
                    System.out.println(loaded.row(baseline.p99()));
                }
                System.out.printf(Locale.ROOT, "%nProduction timings (SENS: first ask 5 s after the send; Aligo: 10 s; then a doubling pause); "
                        + "results final %d s after the send.%n", processing.toSeconds());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private record Phase(String provider, String name, int messages, long calls, List<Long> lags) {
        long p99() {
            List<Long> sorted = lags.stream().sorted().toList();
            return sorted.get(BenchServices.p99Index(sorted.size()));
        }

        String row(long baselineP99) {
            return String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %.3f %s %s |", provider, name, messages, calls, calls / (double) messages,
                    BenchServices.percentiles(lags), baselineP99 == 0 ? "1.0" : String.format(Locale.ROOT, "%.2f", p99() / (double) baselineP99));
        }
    }

    private static Phase phase(Provider provider, String name, int messages, int offset, RecipientHash hash,
                               KafkaProducer<String, SendEvent> producer, KafkaConsumer<String, ProviderReport> reports) throws Exception {
        long callsBefore = provider.calls();
        List<String> keys = new ArrayList<>();
        Progress progress = new Progress(provider.name() + " messages accepted by its fake", messages);
        for (int sent = 0; sent < messages; ) {
            int batch = Math.min(provider.requestSize(), messages - sent);
            List<String> numbers = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                int n = offset * 1_000_000 + sent + i;
                numbers.add(String.format(Locale.ROOT, "010%06d%02d", n / 80, n % 80)); // endings 00-79: delivered
            }
            List<String> accepted = provider.accept(numbers);
            Instant now = Instant.now();
            for (int i = 0; i < accepted.size(); i++) {
                String msgKey = accepted.get(i);
                keys.add(msgKey);
                producer.send(new ProducerRecord<>(BenchServices.TOPICS.sends().name(), msgKey, SendEvent.newBuilder()
                        .setEventId(UUID.randomUUID().toString()).setOutcome(SendOutcome.ACCEPTED).setMsgKey(msgKey)
                        .setRequestId("bench-" + msgKey).setProvider(provider.name()).setFlow(List.of(Channel.ALIMTALK)).setTemplateCode("BENCH")
                        .setRecipientMasked("010-****-0000").setRecipientHash(hash.of(numbers.get(i))).setOrigin("bench").setRef(null)
                        .setAcceptedAt(now).setTimeoutMillis(null).setProviderCode("0").setProviderMessage("accepted").build()));
            }
            sent += batch;
            progress.update(sent);
        }
        producer.flush();
        List<Long> lags = new ArrayList<>();
        Map<String, Boolean> wanted = new HashMap<>();
        keys.forEach(k -> wanted.put(k, false));
        int seen = 0;
        Progress settled = new Progress(provider.name() + " results on delivery.reports", messages);
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (seen < messages && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, ProviderReport> record : reports.poll(Duration.ofMillis(200))) {
                long readAt = System.currentTimeMillis();
                if (Boolean.FALSE.equals(wanted.get(record.key()))) {
                    wanted.put(record.key(), true);
                    seen++;
                    lags.add(readAt - provider.resultTime(record.key()).toEpochMilli());
                }
            }
            settled.update(seen);
        }
        if (seen < messages) {
            throw new IllegalStateException("only " + seen + " of " + messages + " " + provider.name() + " results reached delivery.reports within 15 minutes");
        }
        return new Phase(provider.name(), name, messages, provider.calls() - callsBefore, lags);
    }

    private static Provider sens(FakeSens sens) {
        HttpClient http = HttpClient.newHttpClient();
        SensSignature signature = new SensSignature("bench-access", "bench-secret");
        String path = "/alimtalk/v2/services/" + sens.serviceId() + "/messages";
        return new Provider() {
            @Override
            public String name() {
                return "ncp-sens";
            }

            @Override
            public int requestSize() {
                return FakeSens.MAX_MESSAGES;
            }

            @Override
            public List<String> accept(List<String> numbers) throws Exception {
                ObjectNode body = JSON.createObjectNode().put("plusFriendId", "@bench").put("templateCode", "BENCH");
                numbers.forEach(to -> body.withArray("messages").addObject().put("countryCode", "82").put("to", to).put("content", "bench"));
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sens.baseUrl() + path)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
                signature.headers("POST", path, System.currentTimeMillis()).forEach(request::header);
                JsonNode answer = JSON.readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()).body());
                List<String> keys = new ArrayList<>();
                answer.path("messages").forEach(m -> keys.add(answer.path("requestId").asText() + ":" + m.path("messageId").asText()));
                return keys;
            }

            @Override
            public Instant resultTime(String msgKey) {
                return sens.resultTime(msgKey.substring(msgKey.indexOf(':') + 1));
            }

            @Override
            public long calls() {
                return sens.resultCalls();
            }
        };
    }

    private static Provider aligo(FakeAligo aligo) {
        HttpClient http = HttpClient.newHttpClient();
        AligoToken token = new AligoToken(http, aligo.baseUrl(), "bench-aligo-key", "bench", Duration.ofHours(1), Duration.ofSeconds(5));
        return new Provider() {
            @Override
            public String name() {
                return "aligo";
            }

            @Override
            public int requestSize() {
                return FakeAligo.MAX_RECEIVERS;
            }

            @Override
            public List<String> accept(List<String> numbers) throws Exception {
                Map<String, String> form = new LinkedHashMap<>(token.credentials());
                form.put("senderkey", "bench");
                form.put("tpl_code", "BENCH");
                form.put("sender", "0212345678");
                for (int n = 1; n <= numbers.size(); n++) {
                    form.put("receiver_" + n, numbers.get(n - 1));
                    form.put("subject_" + n, "BENCH");
                    form.put("message_" + n, "bench");
                }
                JsonNode answer = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(aligo.baseUrl() + "/akv10/alimtalk/send/"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(AligoToken.encode(form), StandardCharsets.UTF_8)).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).body());
                List<String> keys = new ArrayList<>();
                for (int n = 1; n <= numbers.size(); n++) {
                    keys.add(answer.at("/info/mid").asText() + ":" + n);
                }
                return keys;
            }

            @Override
            public Instant resultTime(String msgKey) {
                int colon = msgKey.indexOf(':');
                return aligo.resultTime(msgKey.substring(0, colon), Integer.parseInt(msgKey.substring(colon + 1)));
            }

            @Override
            public long calls() {
                return aligo.historyCalls();
            }
        };
    }
}
