package dev.deliverytracker.bench;

import com.sun.net.httpserver.HttpServer;
import dev.deliverytracker.events.Channel;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.fakebizgo.FakeBizgo;
import dev.deliverytracker.kafka.embedded.EmbeddedKafkaBroker;
import dev.deliverytracker.schemas.registry.MockSchemaRegistry;
import dev.deliverytracker.support.DeliveryService;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * How fast a person hears of a suspended account: from the moment webhook-ingest answered the first failing report
 * ({@code 64008}) 200 to the moment the monitor's signed webhook notification reached a receiver, through the real
 * webhook-ingest, status-stream and monitor on one embedded broker. Each probe is a new alert episode: one failing
 * report, the notification, then a success and the RESOLVED notification before the next probe. Baseline in the
 * same run: the same probes with no other traffic; then with {@code rate} successful reports/s flowing beside them.
 * {@code -Drate=N} (default 1000), {@code -Dprobes=N} per phase (default 15).
 */
final class AlertLatencyBench {

    private static final String SECRET = "bench-alert-secret";
    private static final String SIGNING = "bench-alert-signing-secret-32-bytes";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private AlertLatencyBench() {
    }

    record Notification(long at, boolean firing) {
    }

    static void run() {
        int rate = Integer.getInteger("rate", 1000);
        int probes = Integer.getInteger("probes", 15);
        String scope = "bench-alert";
        LinkedBlockingQueue<Notification> notifications = new LinkedBlockingQueue<>();
        HttpServer receiver = receiver(notifications);
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
            for (var topic : List.of(BenchServices.TOPICS.sends(), BenchServices.TOPICS.reports(), BenchServices.TOPICS.status())) {
                kafka.createTopic(topic.name(), 6);
            }
            kafka.createTopic(BenchServices.TOPICS.alerts().name(), 3);
            kafka.createTopic(BenchServices.TOPICS.deadRecords().name(), 1);
            Map<String, Object> webhookProps = BenchServices.bizgoWebhookProps(kafka.bootstrapServers(), scope, SECRET);
            Map<String, Object> statusProps = BenchServices.props("status-stream", kafka.bootstrapServers(), scope);
            statusProps.put("delivery.emit-pending", false);
            Map<String, Object> monitorProps = BenchServices.props("monitor", kafka.bootstrapServers(), scope);
            monitorProps.put("delivery.monitor.application-id", "bench-monitor-" + UUID.randomUUID());
            monitorProps.put("delivery.monitor.state-dir", Files.createTempDirectory("bench-monitor-state").toString());
            monitorProps.put("delivery.monitor.failed-dir", Files.createTempDirectory("bench-monitor-failed").toString());
            monitorProps.put("delivery.monitor.channels.webhook.url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/alerts");
            monitorProps.put("delivery.monitor.channels.webhook.secret", SIGNING);
            // each probe needs its episode closed before the next: resolve quickly once deliveries succeed again
            monitorProps.put("delivery.monitor.rules.account-failure.resolve-after", "2s");
            try (EmbeddedServer status = DeliveryService.STATUS_STREAM.start(statusProps);
                 EmbeddedServer webhook = DeliveryService.WEBHOOK_INGEST.start(webhookProps);
                 EmbeddedServer monitor = DeliveryService.MONITOR.start(monitorProps);
                 KafkaProducer<String, SendEvent> sends = BenchServices.sendsProducer(kafka.bootstrapServers(), scope)) {
                BenchServices.awaitUp(status);
                BenchServices.awaitUp(monitor);
                Reports reports = new Reports(URI.create("http://127.0.0.1:" + webhook.getPort() + "/webhooks/bizgo"), sends);

                List<Long> idle = probe("idle", probes, reports, notifications, 0);
                Background background = new Background(reports, rate);
                background.start();
                List<Long> loaded;
                try {
                    loaded = probe("loaded", probes, reports, notifications, 1);
                } finally {
                    background.stop();
                }
                System.out.printf(Locale.ROOT, "| phase | probes | p50 | p99 | max |%n| --- | ---: | ---: | ---: | ---: |%n");
                System.out.printf(Locale.ROOT, "| no other traffic (baseline) | %d %s%n", idle.size(), BenchServices.percentiles(idle));
                System.out.printf(Locale.ROOT, "| %,d successful reports/s beside | %d %s%n", rate, loaded.size(), BenchServices.percentiles(loaded));
                System.out.printf(Locale.ROOT, "%np50 ratio loaded / baseline: %.2f; background: %,d reports answered 200 in %d s"
                                + " (%,.0f/s achieved), %d not 200%n", ratio(loaded, idle), background.answered.get(),
                        background.seconds(), background.answered.get() / (double) Math.max(1, background.seconds()), background.failed.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            receiver.stop(0);
            MockSchemaRegistry.dropScope(scope);
        }
    }

    /** Probe episodes: failing report answered → FIRING received; then a success → RESOLVED received. */
    private static List<Long> probe(String phase, int probes, Reports reports, LinkedBlockingQueue<Notification> notifications,
                                    int round) throws InterruptedException {
        List<Long> latencies = new ArrayList<>();
        Progress progress = new Progress(phase + " probes", probes);
        for (int i = 0; i < probes; i++) {
            String failing = "alert-probe-" + round + "-" + i;
            String success = failing + "-ok";
            reports.send(failing, Instant.now());
            reports.send(success, Instant.now());
            reports.flushSends();
            // the sends are recorded a moment before their reports, as send-service would have done
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
            notifications.clear();
            long answered = reports.post(failing, "64008", "No permission to use account");
            if (answered < 0) {
                throw new IllegalStateException("webhook-ingest did not take the probe report");
            }
            Notification fired = next(notifications, true);
            latencies.add(Math.max(0, (fired.at() - answered) / 1_000_000));
            if (reports.post(success, "10000", "Success") < 0) {
                throw new IllegalStateException("webhook-ingest did not take the success report");
            }
            next(notifications, false);
            progress.update(i + 1);
        }
        return latencies;
    }

    private static Notification next(LinkedBlockingQueue<Notification> notifications, boolean firing) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Notification n = notifications.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (n != null && n.firing() == firing) {
                return n;
            }
        }
        throw new IllegalStateException("no " + (firing ? "FIRING" : "RESOLVED") + " notification within " + WAIT);
    }

    private static double ratio(List<Long> loaded, List<Long> idle) {
        return median(loaded) / Math.max(1.0, median(idle));
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
    }

    /** The receiver: records when each notification for the account-failure alert arrived and whether it fires. */
    private static HttpServer receiver(LinkedBlockingQueue<Notification> notifications) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/alerts", exchange -> {
                long at = System.nanoTime();
                try (InputStream in = exchange.getRequestBody()) {
                    String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    if (body.contains("DeliveryAccountFailure")) {
                        notifications.add(new Notification(at, body.contains("\"status\":\"firing\"")));
                    }
                    exchange.sendResponseHeaders(200, -1);
                } finally {
                    exchange.close();
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Signed Bizgo report webhooks to webhook-ingest, and the send events they answer (recorded straight to Kafka). */
    private static final class Reports {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final URI uri;
        private final KafkaProducer<String, SendEvent> sends;

        Reports(URI uri, KafkaProducer<String, SendEvent> sends) {
            this.uri = uri;
            this.sends = sends;
        }

        /** An AlimTalk send with no fallback, so a failing report makes a final DEAD_LETTER. */
        void send(String msgKey, Instant at) {
            SendEvent event = SendEvent.newBuilder(BenchServices.accepted(msgKey, at)).setFlow(List.of(Channel.ALIMTALK)).build();
            sends.send(new ProducerRecord<>(BenchServices.TOPICS.sends().name(), null, at.toEpochMilli(), msgKey, event));
        }

        void flushSends() {
            sends.flush();
        }

        HttpRequest request(String msgKey, String code, String text) {
            String timestamp = Long.toString(System.currentTimeMillis());
            String body = "{\"msgKey\":\"" + msgKey + "\",\"serviceType\":\"ALIMTALK\",\"msgType\":\"AT\",\"reportType\":\"RP\","
                    + "\"reportCode\":\"" + code + "\",\"reportText\":\"" + text + "\",\"sendTime\":\"2026-12-02T12:00:00.000+09:00\","
                    + "\"reportTime\":\"2026-12-02T12:00:01.000+09:00\"}";
            return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .header("X-IB-Timestamp", timestamp).header("X-IB-Signature", FakeBizgo.sign(SECRET, timestamp))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }

        /** Posts one report; the nanoTime it was answered 200, or -1. */
        long post(String msgKey, String code, String text) throws InterruptedException {
            try {
                HttpResponse<Void> response = http.send(request(msgKey, code, text), HttpResponse.BodyHandlers.discarding());
                return response.statusCode() == 200 ? System.nanoTime() : -1;
            } catch (IOException e) {
                return -1;
            }
        }
    }

    /** {@code rate} delivered reports/s for sends recorded one second earlier, paced, until stopped. */
    private static final class Background {
        private final Reports reports;
        private final int rate;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong answered = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final Semaphore inFlight = new Semaphore(64);
        private final Thread thread;
        private long startedAt;
        private long stoppedAt;

        Background(Reports reports, int rate) {
            this.reports = reports;
            this.rate = rate;
            this.thread = new Thread(this::loop, "bench-background-reports");
        }

        void start() {
            for (int i = 0; i < rate; i++) {
                reports.send("alert-bg-" + i, Instant.now());
            }
            reports.flushSends();
            startedAt = System.nanoTime();
            thread.start();
            // let the flow settle before the first loaded probe
            LockSupport.parkNanos(Duration.ofSeconds(5).toNanos());
        }

        private void loop() {
            long interval = 1_000_000_000L / rate;
            for (long i = 0; running.get(); i++) {
                long wait = startedAt + i * interval - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                reports.send("alert-bg-" + (i + rate), Instant.now());
                inFlight.acquireUninterruptibly();
                reports.http.sendAsync(reports.request("alert-bg-" + i, "10000", "Success"), HttpResponse.BodyHandlers.discarding())
                        .whenComplete((response, error) -> {
                            inFlight.release();
                            if (error == null && response.statusCode() == 200) {
                                answered.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                            }
                        });
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
            stoppedAt = System.nanoTime();
        }

        long seconds() {
            return Math.max(1, (stoppedAt - startedAt) / 1_000_000_000L);
        }
    }
}
