package dev.deliverytracker.bench;

import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.Classification;
import dev.deliverytracker.events.DeliveryState;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.monitor.dashboard.DashboardStores;
import dev.deliverytracker.support.DeliveryService;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;

/**
 * How fast the dashboard's JSON endpoints answer over a full day of buckets, through the monitor's real HTTP server:
 * {@code -Ddeliveries=N} (default 1,000,000) deliveries spread over the last 23 h (3 providers, 2 channels, 20
 * templates, 10 origins: each delivery in one of {@code -Drows=N} of those combinations, default all 1,200, the worst
 * case for the breakdown; 90 % delivered, 8 % failed, 2 % stuck) are written to {@code delivery.status} on a broker in
 * its own JVM, the monitor reads them all (its alert rules too), then each endpoint is asked {@code -Drounds=N} times
 * while live traffic goes on ({@code -Dlive=N} deliveries a second, default 25, twice a million a day: a PENDING and a
 * SENT each, now, on random rows), so the minute and hour in progress keep changing as they would. The first answer
 * of each endpoint, before anything is kept, is reported on its own. Baseline in the same run: {@code GET
 * /api/alerts}, an endpoint through the same server that reads no store.
 */
final class DashboardBench {

    private static final String[] PROVIDERS = {"bizgo", "aligo", "ncp-sens"};
    private static final String[] FAILURES = {"64016", "64008", "22000", "64016"};
    private static final Classification[] FAILURE_CLASSES = {Classification.PERMANENT_FAILURE, Classification.ACCOUNT_FAILURE,
            Classification.TIMEOUT, Classification.PERMANENT_FAILURE};
    /** What the page asks, for its default window (1 h) and the longest (24 h). */
    private static final List<String> ENDPOINTS = List.of("/api/alerts", "/api/summary?window=24h", "/api/summary?window=1h",
            "/api/timeseries?window=24h", "/api/timeseries?window=1h", "/api/breakdown?window=24h", "/api/breakdown?window=1h",
            "/api/failures?window=24h", "/api/failures?window=1h", "/api/deliveries/stuck?limit=20",
            "/api/deliveries/failed?window=1h&limit=20");

    private DashboardBench() {
    }

    static void run() {
        int deliveries = Integer.getInteger("deliveries", 1_000_000);
        int rounds = Integer.getInteger("rounds", 200);
        int rows = Math.max(1, Math.min(1_200, Integer.getInteger("rows", 1_200)));
        String scope = "bench-dashboard";
        try (BenchBroker kafka = BenchBroker.start()) {
            kafka.createTopic(BenchServices.TOPICS.status().name(), 6);
            kafka.createTopic(BenchServices.TOPICS.alerts().name(), 3);
            kafka.createTopic(BenchServices.TOPICS.deadRecords().name(), 1);
            Instant end = Instant.now();
            // 23 h, not 24: the hour left is slack for the time loading takes, so nothing leaves the 24 h window meanwhile
            Instant start = end.minus(Duration.ofHours(23));
            long written = write(kafka.bootstrapServers(), scope, deliveries, rows, start, end);
            Map<String, Object> props = BenchServices.props("monitor", kafka.bootstrapServers(), scope);
            props.put("delivery.monitor.application-id", "bench-monitor-" + UUID.randomUUID());
            props.put("delivery.monitor.state-dir", Files.createTempDirectory("bench-monitor-state").toString());
            props.put("delivery.monitor.failed-dir", Files.createTempDirectory("bench-monitor-failed").toString());
            long loadStarted = System.nanoTime();
            try (EmbeddedServer monitor = DeliveryService.MONITOR.start(props)) {
                BenchServices.awaitUp(monitor, Duration.ofMinutes(2));
                KafkaStreams streams = monitor.getApplicationContext().getBean(KafkaStreams.class);
                long buckets = awaitLoaded(monitor, streams, deliveries);
                System.out.printf(Locale.ROOT, "%n%,d deliveries (%,d statuses, %,d breakdown rows) over 23 h read by the monitor in %.0f s: %,d minute buckets%n%n",
                        deliveries, written, rows, (System.nanoTime() - loadStarted) / 1e9, buckets);
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                int live = Integer.getInteger("live", 25);
                LiveTraffic traffic = new LiveTraffic(kafka.bootstrapServers(), scope, rows, live);
                System.out.printf(Locale.ROOT, "Live traffic while asking: %d deliveries/s (a PENDING and a SENT each, now)%n%n", live);
                System.out.println("| endpoint | rounds | answer | first answer | p50 | p99 | max | p99 / baseline p99 |");
                System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
                double baselineP99 = 0;
                for (String endpoint : ENDPOINTS) {
                    URI uri = URI.create("http://127.0.0.1:" + monitor.getPort() + endpoint);
                    long c0 = System.nanoTime();
                    int size = get(http, uri).length();
                    double first = (System.nanoTime() - c0) / 1e6;
                    for (int i = 0; i < Math.max(10, rounds / 10); i++) {
                        size = get(http, uri).length(); // warm-up
                    }
                    List<Double> millis = new ArrayList<>(rounds);
                    for (int i = 0; i < rounds; i++) {
                        long t0 = System.nanoTime();
                        get(http, uri);
                        millis.add((System.nanoTime() - t0) / 1e6);
                    }
                    millis.sort(Double::compare);
                    double p99 = millis.get(BenchServices.p99Index(millis.size()));
                    if (baselineP99 == 0) {
                        baselineP99 = p99;
                    }
                    System.out.printf(Locale.ROOT, "| %s%s | %d | %,d B | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f |%n", endpoint,
                            baselineP99 == p99 && endpoint.equals(ENDPOINTS.get(0)) ? " (baseline)" : "", rounds, size, first,
                            millis.get(millis.size() / 2), p99, millis.get(millis.size() - 1), p99 / baselineP99);
                }
                System.out.printf(Locale.ROOT, "%nLive deliveries written while asking: %,d%n", traffic.stop());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String get(HttpClient http, URI uri) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Waits until the monitor's 24 h summary counts every delivery's outcome; answers the number of minute buckets. */
    private static long awaitLoaded(EmbeddedServer monitor, KafkaStreams streams, int deliveries) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI summary = URI.create("http://127.0.0.1:" + monitor.getPort() + "/api/summary?window=24h");
        Progress progress = new Progress("outcomes counted by the monitor", deliveries);
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String body = get(http, summary);
                long settled = number(body, "delivered") + number(body, "failed") + number(body, "stuckNow");
                progress.update(settled);
                if (settled >= deliveries) {
                    ReadOnlyWindowStore<String, ?> minutes = streams.store(StoreQueryParameters.fromNameAndType(DashboardStores.MINUTES,
                            QueryableStoreTypes.windowStore()));
                    long n = 0;
                    try (var it = minutes.all()) {
                        while (it.hasNext()) {
                            it.next();
                            n++;
                        }
                    }
                    return n;
                }
            } catch (IllegalStateException e) {
                // 503 while the stores open
            }
            Thread.sleep(2_000);
        }
        throw new IllegalStateException("the monitor did not count every delivery within 30 minutes");
    }

    private static long number(String json, String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** PENDING for each delivery, then its outcome a few seconds later, in time order, as status-stream writes them. */
    private static long write(String bootstrap, String scope, int deliveries, int rows, Instant start, Instant end) {
        Random random = new Random(42);
        long spacingMicros = Duration.between(start, end).toMillis() * 1_000 / deliveries;
        Progress progress = new Progress("statuses written", deliveries);
        long written = 0;
        PriorityQueue<DeliveryStatus> later = new PriorityQueue<>((a, b) -> a.getResolvedAt().compareTo(b.getResolvedAt()));
        try (KafkaProducer<String, DeliveryStatus> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                BenchServices.TOPICS.status().keySerde(BenchServices.serdes(scope)).serializer(),
                BenchServices.TOPICS.status().valueSerde(BenchServices.serdes(scope)).serializer())) {
            for (int i = 0; i < deliveries; i++) {
                Instant accepted = start.plusNanos(i * spacingMicros * 1_000);
                while (!later.isEmpty() && !later.peek().getResolvedAt().isAfter(accepted)) {
                    send(producer, later.poll());
                    written++;
                }
                String msgKey = "bench-" + i;
                int row = random.nextInt(rows);
                Channel channel = (row / 3) % 2 == 0 ? Channel.ALIMTALK : Channel.SMS;
                DeliveryStatus pending = DeliveryStatus.newBuilder().setEventId(msgKey + "-0").setMsgKey(msgKey)
                        .setStatus(DeliveryState.PENDING).setProvider(PROVIDERS[row % PROVIDERS.length])
                        .setFlow(channel == Channel.ALIMTALK ? List.of(Channel.ALIMTALK, Channel.SMS) : List.of(Channel.SMS))
                        .setOrigin("svc-" + (row / 120) % 10).setTemplateCode("TPL_" + (row / 6) % 20).setAcceptedAt(accepted)
                        .setResolvedAt(accepted).build();
                send(producer, pending);
                written++;
                int fate = random.nextInt(100);
                Instant settled = accepted.plusMillis(300 + random.nextInt(8_000));
                DeliveryStatus.Builder outcome = DeliveryStatus.newBuilder(pending).setEventId(msgKey + "-1").setChannel(channel)
                        .setPreviousStatus(DeliveryState.PENDING).setResolvedAt(settled);
                if (fate < 90) {
                    outcome.setStatus(DeliveryState.SENT).setClassification(Classification.DELIVERED).setCode("10000")
                            .setLatencyMillis(Duration.between(accepted, settled).toMillis());
                } else if (fate < 98) {
                    int f = fate % FAILURES.length;
                    outcome.setStatus(DeliveryState.DEAD_LETTER).setClassification(FAILURE_CLASSES[f]).setCode(FAILURES[f])
                            .setText("실패 " + FAILURES[f]);
                } else {
                    outcome.setStatus(DeliveryState.STUCK_PENDING).setResolvedAt(accepted.plus(Duration.ofMinutes(2)));
                }
                later.add(outcome.build());
                progress.update(i + 1);
            }
            while (!later.isEmpty()) {
                send(producer, later.poll());
                written++;
            }
            producer.flush();
        }
        return written;
    }

    /** Deliveries happening now, while the endpoints are asked: a PENDING and a SENT each, on random rows. */
    private static final class LiveTraffic {
        private final KafkaProducer<String, DeliveryStatus> producer;
        private final java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        private final Random random = new Random(7);
        private long sent;

        LiveTraffic(String bootstrap, String scope, int rows, int perSecond) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    BenchServices.TOPICS.status().keySerde(BenchServices.serdes(scope)).serializer(),
                    BenchServices.TOPICS.status().valueSerde(BenchServices.serdes(scope)).serializer());
            int perTick = Math.max(1, perSecond / 10);
            if (perSecond > 0) {
                timer.scheduleAtFixedRate(() -> {
                    for (int i = 0; i < perTick; i++) {
                        int row = random.nextInt(rows);
                        Instant now = Instant.now();
                        String msgKey = "live-" + sent++;
                        DeliveryStatus pending = DeliveryStatus.newBuilder().setEventId(msgKey + "-0").setMsgKey(msgKey)
                                .setStatus(DeliveryState.PENDING).setProvider(PROVIDERS[row % PROVIDERS.length])
                                .setFlow(List.of(Channel.SMS)).setOrigin("svc-" + (row / 120) % 10).setTemplateCode("TPL_" + (row / 6) % 20)
                                .setAcceptedAt(now.minusSeconds(1)).setResolvedAt(now.minusSeconds(1)).build();
                        send(producer, pending);
                        send(producer, DeliveryStatus.newBuilder(pending).setEventId(msgKey + "-1").setStatus(DeliveryState.SENT)
                                .setChannel(Channel.SMS).setPreviousStatus(DeliveryState.PENDING).setClassification(Classification.DELIVERED)
                                .setCode("10000").setLatencyMillis(1_000L).setResolvedAt(now).build());
                    }
                }, 0, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }

        /** Stops the traffic; answers how many deliveries it wrote. */
        long stop() throws InterruptedException {
            timer.shutdown();
            timer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            producer.close();
            return sent;
        }
    }

    private static void send(KafkaProducer<String, DeliveryStatus> producer, DeliveryStatus status) {
        producer.send(new ProducerRecord<>(BenchServices.TOPICS.status().name(), null, status.getResolvedAt().toEpochMilli(),
                status.getMsgKey(), status));
    }
}
