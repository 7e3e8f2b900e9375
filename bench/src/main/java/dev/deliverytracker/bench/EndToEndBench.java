package dev.deliverytracker.bench;

import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.fakebizgo.FakeBizgo;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaBroker;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.Topic;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * End to end at a steady 1,000 reports/s: for each delivery, from the moment webhook-ingest answered Bizgo's signed
 * webhook 200 to the moment its SENT status is readable by a read_committed consumer (webhook-ingest and status-stream,
 * the real services, on one embedded broker). Baseline in the same run: from the same answer to the report being
 * readable on delivery.reports (the first hop alone). Each send is produced one second before its report, as
 * send-service would have recorded it.
 * {@code -Drate=N} (default 1000), {@code -Dseconds=N} (default 30).
 */
final class EndToEndBench {

    private static final String SECRET = "bench-e2e-secret";

    private EndToEndBench() {
    }

    static void run() {
        int rate = Integer.getInteger("rate", 1000);
        int seconds = Integer.getInteger("seconds", 30);
        int total = rate * seconds;
        // -Ddirect=true: reports are produced straight to Kafka (acks=all) instead of through webhook-ingest
        boolean direct = Boolean.getBoolean("direct");
        String scope = "bench-e2e";
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            for (var topic : List.of(BenchServices.TOPICS.sends(), BenchServices.TOPICS.reports(), BenchServices.TOPICS.status())) {
                kafka.createTopic(topic.name(), 6);
            }
            Map<String, Object> webhookProps = BenchServices.bizgoWebhookProps(kafka.bootstrapServers(), scope, SECRET);
            Map<String, Object> statusProps = BenchServices.props("status-stream", kafka.bootstrapServers(), scope);
            statusProps.put("delivery.emit-pending", false);
            try (EmbeddedServer status = ApplicationContext.run(EmbeddedServer.class, statusProps);
                 EmbeddedServer webhook = ApplicationContext.run(EmbeddedServer.class, webhookProps);
                 KafkaProducer<String, SendEvent> producer = BenchServices.sendsProducer(kafka.bootstrapServers(), scope);
                 KafkaProducer<String, ProviderReport> reportProducer = new KafkaProducer<>(Map.of(
                         org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                         org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all",
                         org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, 1),
                         BenchServices.TOPICS.reports().keySerde(BenchServices.serdes(scope)).serializer(),
                         BenchServices.TOPICS.reports().valueSerde(BenchServices.serdes(scope)).serializer())) {
                BenchServices.awaitUp(status);
                java.util.Properties streams = status.getApplicationContext().getBean(java.util.Properties.class,
                        io.micronaut.inject.qualifiers.Qualifiers.byName("status-stream"));
                System.err.println("  status-stream overrides: " + streams.entrySet().stream()
                        .filter(e -> !e.getKey().toString().startsWith("bootstrap")).map(Object::toString).sorted().toList());
                // Sends run one second ahead of their reports, as in life: send i is produced at step i - rate.
                for (int i = 0; i < Math.min(rate, total); i++) {
                    produceSend(producer, i);
                }
                producer.flush();

                Map<String, Long> answered = new ConcurrentHashMap<>();
                Map<String, Long> reportSeen = new ConcurrentHashMap<>();
                Map<String, Long> sentSeen = new ConcurrentHashMap<>();
                Thread reports = reader(kafka.bootstrapServers(), scope, BenchServices.TOPICS.reports(), report -> true, reportSeen, total);
                Thread statuses = reader(kafka.bootstrapServers(), scope, BenchServices.TOPICS.status(),
                        delivery -> delivery.getStatus() == DeliveryState.SENT, sentSeen, total);

                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                URI uri = URI.create("http://127.0.0.1:" + webhook.getPort() + "/webhooks/bizgo");
                String timestamp = Long.toString(System.currentTimeMillis());
                String signature = FakeBizgo.sign(SECRET, timestamp);
                AtomicLong failed = new AtomicLong();
                // at most 64 requests in flight: the JDK client opens a connection per concurrent request
                java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(64);
                Progress progress = new Progress("reports posted at " + rate + "/s", total);
                long started = System.nanoTime();
                long interval = 1_000_000_000L / rate;
                for (int i = 0; i < total; i++) {
                    long wait = started + i * interval - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait); // pacing, without burning a core
                    }
                    if (i + rate < total) {
                        produceSend(producer, i + rate);
                    }
                    String msgKey = "e2e-" + i;
                    String body = "{\"msgKey\":\"" + msgKey + "\",\"serviceType\":\"ALIMTALK\",\"msgType\":\"AT\",\"reportType\":\"RP\","
                            + "\"reportCode\":\"10000\",\"reportText\":\"Success\",\"sendTime\":\"2026-11-22T12:00:00.000+09:00\","
                            + "\"reportTime\":\"2026-11-22T12:00:01.000+09:00\"}";
                    if (direct) {
                        ProviderReport report = dev.deliverytracker.schemas.fixtures.Events.report(msgKey,
                                dev.deliverytracker.events.Channel.ALIMTALK, "10000", Instant.now()).build();
                        reportProducer.send(new ProducerRecord<>(BenchServices.TOPICS.reports().name(), null,
                                report.getReceivedAt().toEpochMilli(), msgKey, report), (metadata, error) -> {
                                    if (error == null) {
                                        answered.put(msgKey, System.nanoTime());
                                    } else {
                                        failed.incrementAndGet();
                                    }
                                });
                        progress.update(i + 1);
                        continue;
                    }
                    inFlight.acquireUninterruptibly();
                    http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                                    .header("Content-Type", "application/json").header("X-IB-Timestamp", timestamp)
                                    .header("X-IB-Signature", signature).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.discarding())
                            .whenComplete((response, error) -> {
                                inFlight.release();
                                if (error == null && response.statusCode() == 200) {
                                    answered.put(msgKey, System.nanoTime());
                                } else {
                                    failed.incrementAndGet();
                                }
                            });
                    progress.update(i + 1);
                }
                reports.join(120_000);
                statuses.join(120_000);
                List<Long> firstHop = new ArrayList<>();
                List<Long> endToEnd = new ArrayList<>();
                answered.forEach((key, at) -> {
                    Long report = reportSeen.get(key);
                    Long sent = sentSeen.get(key);
                    if (report != null) {
                        firstHop.add(Math.max(0, (report - at) / 1_000_000));
                    }
                    if (sent != null) {
                        endToEnd.add(Math.max(0, (sent - at) / 1_000_000));
                    }
                });
                System.out.printf(Locale.ROOT, "| measured | deliveries | p50 | p99 | max |%n| --- | ---: | ---: | ---: | ---: |%n");
                System.out.printf(Locale.ROOT, "| webhook answered → report readable (baseline: first hop) | %,d %s%n", firstHop.size(), BenchServices.percentiles(firstHop));
                System.out.printf(Locale.ROOT, "| webhook answered → SENT readable (read_committed) | %,d %s%n", endToEnd.size(), BenchServices.percentiles(endToEnd));
                System.out.printf(Locale.ROOT, "%n%,d reports at %d/s; %d not answered 200; exactly_once_v2, 6 partitions, one broker, loopback%n",
                        total, rate, failed.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }

    private static void produceSend(KafkaProducer<String, SendEvent> producer, int i) {
        Instant now = Instant.now();
        producer.send(new ProducerRecord<>(BenchServices.TOPICS.sends().name(), null, now.toEpochMilli(), "e2e-" + i,
                BenchServices.accepted("e2e-" + i, now)));
    }

    /** Records, per msgKey, the nanoTime a record that {@code counts} (a report; a SENT status) became readable. */
    private static <V> Thread reader(String bootstrap, String scope, Topic<String, V> topic, Predicate<V> counts,
                                     Map<String, Long> seen, int total) {
        Thread thread = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(total / 500 + 90).toNanos();
            try (KafkaConsumer<String, V> consumer = BenchServices.readCommitted(bootstrap, scope, topic)) {
                while (seen.size() < total && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(20))) {
                        if (counts.test(record.value())) {
                            seen.putIfAbsent(record.key(), System.nanoTime());
                        }
                    }
                }
            }
        }, "bench-" + topic.name() + "-reader");
        thread.start();
        return thread;
    }
}
