package dev.deliverytracker.bench;

import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.fakebizgo.FakeBizgo;
import dev.deliverytracker.schemas.registry.FakeSchemaRegistryServer;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.schemas.topics.Topic;
import dev.deliverytracker.status.app.StatusStreamApplication;
import dev.deliverytracker.support.DeliveryService;
import dev.deliverytracker.webhook.app.WebhookIngestApplication;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * End to end at a steady rate (default 1,000 reports/s): for each delivery, from the moment webhook-ingest answered
 * Bizgo's signed webhook 200 to the moment its SENT status is readable by a read_committed consumer. webhook-ingest
 * and status-stream are the real services, in this JVM or each in its own ({@code -Dservices=process},
 * {@link ServiceUnderTest}); the broker runs in its own JVM ({@link BenchBroker}). Reports are posted over keep-alive
 * connections by {@link KeepAlivePoster} ({@code -Dclient=jdk}: the JDK's HttpClient, which costs far more CPU). Baseline
 * in the same run: from the same answer to the report being readable on delivery.reports (the first hop alone). Each
 * send is produced one second before its report, as send-service would have recorded it.
 *
 * <p>A warm-up ({@code -Dwarmup=120} s: on two cores the JIT compiles for 90-110 s after a start) runs first at the
 * same rate and is left out of the steady-state figures; then
 * {@code -Dseconds=60} s are measured. Every 5 s the benchmark records what was answered and what became readable,
 * p50/p99 of the deliveries answered in that slice, status-stream's consumer lag (committed offsets of its group against
 * the inputs' end offsets), Kafka Streams' own metrics and where the CPU went ({@link CpuSampler}), so a lag that grows
 * shows as a trend and start-up is not mistaken for it. {@code -Drate=N}, {@code -Ddirect=true} (reports produced
 * straight to Kafka, no webhook-ingest).
 */
final class EndToEndBench {

    private static final String SECRET = "bench-e2e-secret";
    private static final long SLICE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int PARTITIONS = 6;

    private EndToEndBench() {
    }

    static void run() {
        int rate = Integer.getInteger("rate", 1000);
        int seconds = Integer.getInteger("seconds", 60);
        int warmup = Integer.getInteger("warmup", 120);
        int total = rate * (warmup + seconds);
        boolean direct = Boolean.getBoolean("direct");
        // Services in their own JVMs (-Dservices=process) share a registry over HTTP; in this JVM an in-process one.
        FakeSchemaRegistryServer httpRegistry = ServiceUnderTest.inOwnJvms() ? FakeSchemaRegistryServer.plain() : null;
        String scope = httpRegistry != null ? httpRegistry.url() : "bench-e2e";
        try (BenchBroker kafka = BenchBroker.start(); FakeSchemaRegistryServer registry = httpRegistry) {
            for (var topic : List.of(BenchServices.TOPICS.sends(), BenchServices.TOPICS.reports(), BenchServices.TOPICS.status())) {
                kafka.createTopic(topic.name(), PARTITIONS);
            }
            Map<String, Object> webhookProps = BenchServices.bizgoWebhookProps(kafka.bootstrapServers(), scope, SECRET);
            Map<String, Object> statusProps = BenchServices.props("status-stream", kafka.bootstrapServers(), scope);
            // PENDING statuses as in production (the default); -DemitPending=false measures without them
            statusProps.put("delivery.emit-pending", Boolean.parseBoolean(System.getProperty("emitPending", "true")));
            // Kafka's averages cover 2 samples of 30 s by default; 5 s samples make each timeline row about its own slice.
            statusProps.putIfAbsent("delivery.status-stream.streams.metrics.sample.window.ms", 5000);
            try (ServiceUnderTest status = ServiceUnderTest.start(DeliveryService.STATUS_STREAM, StatusStreamApplication.class, statusProps);
                 ServiceUnderTest webhook = ServiceUnderTest.start(DeliveryService.WEBHOOK_INGEST, WebhookIngestApplication.class, webhookProps);
                 KafkaProducer<String, SendEvent> producer = BenchServices.sendsProducer(kafka.bootstrapServers(), scope);
                 KafkaProducer<String, ProviderReport> reportProducer = reportProducer(kafka.bootstrapServers(), scope);
                 Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                String group = String.valueOf(statusProps.get("delivery.status-stream.application-id"));
                // Kafka Streams' metrics are read in-process; a status-stream in its own JVM has none to show here
                StreamsMetricsSampler metrics = status.streams().map(StreamsMetricsSampler::new).orElse(null);
                Map<String, java.util.function.LongSupplier> otherJvms = new java.util.LinkedHashMap<>();
                if (status.cpuNanos() >= 0) {
                    otherJvms.put("status-stream", status::cpuNanos);
                    otherJvms.put("webhook-ingest", webhook::cpuNanos);
                }
                otherJvms.put("broker", kafka::cpuNanos);
                CpuSampler cpu = new CpuSampler("StreamThread", otherJvms);
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
                URI uri = URI.create("http://127.0.0.1:" + webhook.port() + "/webhooks/bizgo");
                String timestamp = Long.toString(System.currentTimeMillis());
                String signature = FakeBizgo.sign(SECRET, timestamp);
                AtomicLong failed = new AtomicLong();
                Semaphore inFlight = new Semaphore(64); // the JDK client opens a connection per concurrent request
                // The load generator shares the two cores with what it measures, so by default it is the lightest one
                // (-Dclient=raw: keep-alive connections, -Dconnections, default 32); -Dclient=jdk is the JDK's HttpClient.
                KeepAlivePoster poster = direct || "jdk".equals(System.getProperty("client", "raw")) ? null
                        : new KeepAlivePoster("127.0.0.1", webhook.port(), "/webhooks/bizgo", Map.of("Content-Type", "application/json",
                        "X-IB-Timestamp", timestamp, "X-IB-Signature", signature), Integer.getInteger("connections", 32));
                Progress progress = new Progress("reports posted at " + rate + "/s", total);
                long started = System.nanoTime();
                List<Long> lagBySlice = new ArrayList<>();
                List<String> metricRows = new ArrayList<>();
                List<String> cpuRows = new ArrayList<>();
                long nextSample = started + SLICE_NANOS;
                long interval = 1_000_000_000L / rate;
                for (int i = 0; i < total; i++) {
                    long wait = started + i * interval - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait); // pacing, without burning a core
                    }
                    if (System.nanoTime() >= nextSample) {
                        lagBySlice.add(lag(admin, group));
                        if (metrics != null) {
                            metricRows.add(metrics.row(TimeUnit.NANOSECONDS.toSeconds(nextSample - started)));
                        }
                        cpuRows.add(cpu.row(TimeUnit.NANOSECONDS.toSeconds(nextSample - started)));
                        nextSample += SLICE_NANOS;
                    }
                    if (i + rate < total) {
                        produceSend(producer, i + rate);
                    }
                    String msgKey = "e2e-" + i;
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
                    } else if (poster != null) {
                        poster.post(report(msgKey), answer -> {
                            if (answer == 200) {
                                answered.put(msgKey, System.nanoTime());
                            } else {
                                failed.incrementAndGet();
                            }
                        });
                    } else {
                        inFlight.acquireUninterruptibly();
                        http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                                        .header("Content-Type", "application/json").header("X-IB-Timestamp", timestamp)
                                        .header("X-IB-Signature", signature).POST(HttpRequest.BodyPublishers.ofString(report(msgKey))).build(),
                                HttpResponse.BodyHandlers.discarding())
                                .whenComplete((response, error) -> {
                                    inFlight.release();
                                    if (error == null && response.statusCode() == 200) {
                                        answered.put(msgKey, System.nanoTime());
                                    } else {
                                        failed.incrementAndGet();
                                    }
                                });
                    }
                    progress.update(i + 1);
                }
                if (poster != null) {
                    poster.close(); // after every queued report was answered
                }
                long postedUntil = System.nanoTime();
                reports.join(120_000);
                statuses.join(120_000);
                lagBySlice.add(lag(admin, group));
                if (metrics != null) {
                    metricRows.add(metrics.row(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)) + " (after the load)");
                }
                cpuRows.add(cpu.row(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)) + " (after the load)");

                print(rate, seconds, warmup, total, direct, kafka, failed.get(), started, postedUntil, answered, reportSeen, sentSeen,
                        lagBySlice, metricRows, cpu.header(), cpuRows);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }

    private static void print(int rate, int seconds, int warmup, int total, boolean direct, BenchBroker kafka, long failed,
                              long started, long postedUntil, Map<String, Long> answered, Map<String, Long> reportSeen,
                              Map<String, Long> sentSeen, List<Long> lagBySlice, List<String> metricRows, String cpuHeader, List<String> cpuRows) {
        long steadyFrom = started + TimeUnit.SECONDS.toNanos(warmup);
        List<Long> firstHop = new ArrayList<>();
        List<Long> endToEnd = new ArrayList<>();
        long missing = 0;
        Map<Integer, List<Long>> bySlice = new HashMap<>();
        Map<Integer, Integer> readableBySlice = new HashMap<>();
        sentSeen.values().forEach(at -> readableBySlice.merge(slice(started, at), 1, Integer::sum));
        for (Map.Entry<String, Long> entry : answered.entrySet()) {
            long at = entry.getValue();
            Long report = reportSeen.get(entry.getKey());
            Long sent = sentSeen.get(entry.getKey());
            if (sent == null) {
                missing++;
                continue;
            }
            long e2e = Math.max(0, TimeUnit.NANOSECONDS.toMillis(sent - at));
            bySlice.computeIfAbsent(slice(started, at), s -> new ArrayList<>()).add(e2e);
            if (at >= steadyFrom) {
                endToEnd.add(e2e);
                if (report != null) {
                    firstHop.add(Math.max(0, TimeUnit.NANOSECONDS.toMillis(report - at)));
                }
            }
        }
        System.out.printf(Locale.ROOT, "Steady state: %d s at %,d reports/s after a %d s warm-up that is left out; %s; %s; %s; %s.%n%n",
                seconds, rate, warmup, direct ? "reports produced straight to Kafka" : "reports posted to webhook-ingest", kafka.describe(),
                ServiceUnderTest.inOwnJvms() ? "webhook-ingest and status-stream each in its own JVM (-Xmx"
                        + ChildJvms.heap("services") + ")" : "webhook-ingest and status-stream in the benchmark's JVM",
                direct ? "no HTTP client" : "jdk".equals(System.getProperty("client", "raw")) ? "the JDK's HttpClient posting (at most 64 in flight)"
                        : "posted over " + Integer.getInteger("connections", 32) + " keep-alive connections");
        System.out.printf(Locale.ROOT, "| measured (steady state) | deliveries | p50 | p99 | max |%n| --- | ---: | ---: | ---: | ---: |%n");
        System.out.printf(Locale.ROOT, "| webhook answered → report readable (baseline: first hop) | %,d %s%n", firstHop.size(), BenchServices.percentiles(firstHop));
        System.out.printf(Locale.ROOT, "| webhook answered → SENT readable (read_committed) | %,d %s%n", endToEnd.size(), BenchServices.percentiles(endToEnd));
        System.out.printf(Locale.ROOT, "%n%,d reports in all (posting took %.1f s for %.1f s planned); %d not answered 200; %d answered but no SENT seen.%n%n",
                total, (postedUntil - started) / 1e9, total / (double) rate, failed, missing);

        System.out.printf(Locale.ROOT, "Timeline (5 s slices by the time the webhook answered; lag sampled at the slice's end):%n%n");
        System.out.printf(Locale.ROOT, "| t (s) | answered | SENT readable | p50 | p99 | status-stream lag (records) |%n| ---: | ---: | ---: | ---: | ---: | ---: |%n");
        int slices = Math.max(bySlice.keySet().stream().mapToInt(Integer::intValue).max().orElse(0),
                readableBySlice.keySet().stream().mapToInt(Integer::intValue).max().orElse(0)) + 1;
        List<double[]> p99Points = new ArrayList<>();
        for (int s = 0; s < slices; s++) {
            List<Long> slice = bySlice.getOrDefault(s, List.of()).stream().sorted().toList();
            String lag = s < lagBySlice.size() ? String.format(Locale.ROOT, "%,d", lagBySlice.get(s)) : "-";
            String p50 = slice.isEmpty() ? "-" : slice.get(slice.size() / 2) + " ms";
            String p99 = slice.isEmpty() ? "-" : slice.get(BenchServices.p99Index(slice.size())) + " ms";
            String mark = (s + 1) * 5 <= warmup ? " (warm-up)" : "";
            System.out.printf(Locale.ROOT, "| %d–%d%s | %,d | %,d | %s | %s | %s |%n", s * 5, s * 5 + 5, mark, slice.size(),
                    readableBySlice.getOrDefault(s, 0), p50, p99, lag);
            if (!slice.isEmpty() && s * 5 >= warmup) {
                p99Points.add(new double[] {s * 5, slice.get(BenchServices.p99Index(slice.size()))});
            }
        }
        System.out.printf(Locale.ROOT, "%nTrend of the per-slice p99 over the steady state (least squares): %+.1f ms per 10 s.%n%n", slope(p99Points) * 10);
        if (metricRows.isEmpty()) {
            System.out.println("(status-stream ran in its own JVM: its Kafka Streams metrics are on its /prometheus endpoint, not read here)");
        } else {
            System.out.printf(Locale.ROOT, "Kafka Streams metrics of status-stream, sampled every 5 s (averages over the last two 5 s windows):%n%n%s%n",
                    StreamsMetricsSampler.header());
            metricRows.forEach(System.out::println);
        }
        System.out.printf(Locale.ROOT, "%nWhere the two cores went, per 5 s slice (process and thread CPU times; JIT and GC time of the "
                + "benchmark's JVM, which runs the load and, unless -Dservices=process, webhook-ingest and status-stream):%n%n%s%n", cpuHeader);
        cpuRows.forEach(System.out::println);
    }

    private static int slice(long started, long at) {
        return (int) Math.max(0, (at - started) / SLICE_NANOS);
    }

    private static double slope(List<double[]> points) {
        if (points.size() < 2) {
            return 0;
        }
        double mx = points.stream().mapToDouble(p -> p[0]).average().orElse(0);
        double my = points.stream().mapToDouble(p -> p[1]).average().orElse(0);
        double num = 0;
        double den = 0;
        for (double[] p : points) {
            num += (p[0] - mx) * (p[1] - my);
            den += (p[0] - mx) * (p[0] - mx);
        }
        return den == 0 ? 0 : num / den;
    }

    /** Records of the inputs (sends and reports) not yet committed by status-stream's group. */
    private static long lag(Admin admin, String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String topic : List.of(BenchServices.TOPICS.sends().name(), BenchServices.TOPICS.reports().name())) {
                for (int p = 0; p < PARTITIONS; p++) {
                    latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
            }
            long lag = 0;
            for (var entry : admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata done = committed.get(entry.getKey());
                lag += entry.getValue().offset() - (done == null ? 0 : done.offset());
            }
            return lag;
        } catch (Exception e) {
            return -1;
        }
    }

    private static String report(String msgKey) {
        return "{\"msgKey\":\"" + msgKey + "\",\"serviceType\":\"ALIMTALK\",\"msgType\":\"AT\",\"reportType\":\"RP\","
                + "\"reportCode\":\"10000\",\"reportText\":\"Success\",\"sendTime\":\"2026-11-22T12:00:00.000+09:00\","
                + "\"reportTime\":\"2026-11-22T12:00:01.000+09:00\"}";
    }

    private static KafkaProducer<String, ProviderReport> reportProducer(String bootstrap, String scope) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 1),
                BenchServices.TOPICS.reports().keySerde(BenchServices.serdes(scope)).serializer(),
                BenchServices.TOPICS.reports().valueSerde(BenchServices.serdes(scope)).serializer());
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
