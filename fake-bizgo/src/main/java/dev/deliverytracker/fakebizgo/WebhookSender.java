package dev.deliverytracker.fakebizgo;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Posts reports to the registered webhook as Bizgo does: signed ({@code X-IB-Timestamp}, {@code X-IB-Signature}),
 * acknowledged only by {@code 200 {"msgKey": ...}}, re-sent at a fixed interval up to {@link ReportDelivery#retries}
 * times otherwise.
 */
final class WebhookSender {

    private final ReportDelivery delivery;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService senders;
    private final BooleanSupplier open;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /** @param open false once the fake is closed: nothing more is sent or re-sent */
    WebhookSender(ReportDelivery delivery, Clock clock, ScheduledExecutorService scheduler, ExecutorService senders, BooleanSupplier open) {
        this.delivery = delivery;
        this.clock = clock;
        this.scheduler = scheduler;
        this.senders = senders;
        this.open = open;
    }

    void post(ObjectNode report) {
        post(report, 0);
    }

    private void post(ObjectNode report, int attempt) {
        if (!open.getAsBoolean()) {
            return;
        }
        String timestamp = Long.toString(clock.millis());
        HttpRequest request = HttpRequest.newBuilder(delivery.webhookUrl())
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .header("X-IB-Timestamp", timestamp)
                .header("X-IB-Signature", FakeBizgo.sign(delivery.webhookSecret(), timestamp))
                .POST(HttpRequest.BodyPublishers.ofString(report.toString()))
                .build();
        String msgKey = report.get("msgKey").asText();
        boolean ok;
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            ok = response.statusCode() == 200 && msgKey.equals(BizgoJson.MAPPER.readTree(response.body()).path("msgKey").asText());
        } catch (IOException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (ok) {
            acknowledged.incrementAndGet();
        } else if (delivery.resends().allows(attempt) && open.getAsBoolean()) {
            scheduler.schedule(() -> senders.execute(() -> post(report, attempt + 1)),
                    delivery.resends().pause(attempt).toMillis(), TimeUnit.MILLISECONDS);
        } else {
            refused.incrementAndGet();
        }
    }

    long acknowledged() {
        return acknowledged.get();
    }

    long refused() {
        return refused.get();
    }
}
