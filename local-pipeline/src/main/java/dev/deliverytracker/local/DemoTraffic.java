package dev.deliverytracker.local;

import dev.deliverytracker.events.DeliveryState;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady demo traffic through send-service with a realistic mix, chosen by recipient number (the fake Bizgo's
 * convention, {@code Scenario.byNumber}): mostly delivered, some 64016 (not a KakaoTalk user) with and without an
 * SMS fallback, an occasional burst of 64008 (the account lost its permission), some never reported (they go
 * STUCK_PENDING after the demo timeout), some reported twice, some producer retries with the same Idempotency-Key.
 * Prints a one-line summary every five seconds.
 */
final class DemoTraffic implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "demo-traffic");
        thread.setDaemon(true);
        return thread;
    });
    private final URI sendUri;
    private final StatusTally tally;
    private final Map<Integer, AtomicLong> answers = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong burstUntil = new AtomicLong();

    DemoTraffic(LocalPipeline pipeline) {
        this.sendUri = URI.create(pipeline.sendServiceUrl() + "/v1/messages");
        this.tally = new StatusTally(pipeline.bootstrapServers(), pipeline.registryUrl());
        int rate = Math.max(1, pipeline.options().demoRate());
        scheduler.scheduleAtFixedRate(this::sendOne, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
        scheduler.scheduleAtFixedRate(this::summary, 5, 5, TimeUnit.SECONDS);
    }

    private void sendOne() {
        long n = sequence.incrementAndGet();
        if (n % 3000 == 600) {
            // the account loses its permission for a moment (64008 for 30 messages, about 20 s in): the monitor's
            // account-failure alert fires within seconds and resolves once deliveries succeed again
            burstUntil.set(n + 30);
        }
        int tail;
        if (n <= burstUntil.get()) {
            tail = 90 + (int) (n % 3);
        } else {
            tail = ThreadLocalRandom.current().nextInt(97); // every other scenario, but not 90-92 (64008) outside a burst
            tail = tail >= 90 ? tail + 3 : tail;
        }
        String to = String.format("010-%04d-%02d%02d", n % 10_000, (n / 100) % 100, tail);
        // one message in five through the fake NCP SENS (AlimTalk only: SENS shows no fail-over result to collect)
        String body = n % 5 == 0 && n > burstUntil.get() ? """
                {"to":"%s","origin":"demo","ref":"demo-%d","provider":"ncp-sens",
                 "flow":[{"channel":"ALIMTALK","templateCode":"DEMO_NOTICE","text":"#{name}, your order #{order} has shipped"}],
                 "variables":{"name":"Kim","order":"%d"}}""".formatted(to, n, n) : """
                {"to":"%s","origin":"demo","ref":"demo-%d",
                 "flow":[{"channel":"ALIMTALK","templateCode":"DEMO_ORDER","text":"#{name}, your order #{order} has shipped"},
                         {"channel":"SMS","text":"#{name}: order #{order} shipped"}],
                 "variables":{"name":"Kim","order":"%d"}}""".formatted(to, n, n);
        String key = "demo-" + n;
        post(body, key);
        if (n % 50 == 0) {
            post(body, key); // a producer retrying: the same answer, no second send
        }
    }

    private void post(String body, String idempotencyKey) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(sendUri).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + LocalPipeline.DEMO_TOKEN)
                    .header("Idempotency-Key", idempotencyKey)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
            answers.computeIfAbsent(response.statusCode(), k -> new AtomicLong()).incrementAndGet();
        } catch (Exception e) {
            answers.computeIfAbsent(0, k -> new AtomicLong()).incrementAndGet();
        } 
    }

    private void summary() {
        Map<DeliveryState, Integer> counts = tally.counts();
        StringBuilder line = new StringBuilder("[demo] sent ").append(sequence.get()).append(" | answers");
        answers.forEach((status, count) -> line.append(' ').append(status == 0 ? "error" : status).append('=').append(count));
        line.append(" | deliveries");
        for (DeliveryState state : DeliveryState.values()) {
            line.append(' ').append(state).append('=').append(counts.getOrDefault(state, 0));
        }
        System.out.println(line);
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        tally.close();
    }
}
