package dev.deliverytracker.webhook.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.util.concurrent.TimeUnit;

/**
 * webhook-ingest's counters: {@code webhook_reports_stored_total{provider}},
 * {@code webhook_rejected_total{provider,reason}}, {@code webhook_store_failed_total{provider}},
 * {@code webhook_poll_failed_total{provider}} and the time to store.
 */
@Singleton
public class WebhookMetrics {

    private final MeterRegistry registry;
    private final Timer storeTime;

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.storeTime = Timer.builder("webhook.store").description("Time until Kafka acknowledged a report").register(registry);
    }

    public void stored(String provider, long nanos) {
        registry.counter("webhook.reports.stored", "provider", provider).increment();
        storeTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void rejected(String provider, String reason) {
        registry.counter("webhook.rejected", "provider", provider, "reason", reason).increment();
    }

    public void storeFailed(String provider) {
        registry.counter("webhook.store.failed", "provider", provider).increment();
    }

    /** A poll that did not end with a stored and acknowledged batch (or an empty one): retried with back-off. */
    public void pollFailed(String provider) {
        registry.counter("webhook.poll.failed", "provider", provider).increment();
    }

    public double pollFailures(String provider) {
        var counter = registry.find("webhook.poll.failed").tags("provider", provider).counter();
        return counter == null ? 0 : counter.count();
    }

    /** For tests and the fuzz check: how many rejections with this reason so far. */
    public double rejections(String provider, String reason) {
        var counter = registry.find("webhook.rejected").tags("provider", provider, "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }
}
