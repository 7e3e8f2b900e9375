package dev.deliverytracker.webhook.poll;

import dev.deliverytracker.retry.Backoff;
import dev.deliverytracker.webhook.http.WebhookMetrics;
import dev.deliverytracker.webhook.ingest.ReportWriter;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * Runs the Bizgo poller on its own thread while the service runs ({@code delivery.pollers.bizgo.enabled=true}):
 * right away again after a stored batch, after {@code idle-backoff} when there was nothing, and with exponential
 * back-off up to {@code max-backoff} after failures. Requests are spaced by at least {@code min-interval}
 * (Bizgo's 5 requests/s).
 */
@Context
@Requires(property = "delivery.pollers.bizgo.enabled", value = "true")
public class PollerRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PollerRunner.class);

    private final BizgoReportPoller poller;
    private final BizgoPollerProperties properties;
    private final WebhookMetrics metrics;
    private final Thread thread;
    private volatile boolean running = true;

    public PollerRunner(BizgoPollerProperties properties, ReportWriter writer, WebhookMetrics metrics, Clock clock) {
        this.properties = properties;
        this.metrics = metrics;
        this.poller = new BizgoReportPoller(new BizgoPollingClient(properties.baseUrl(), properties.apiKey(), properties.requestTimeout()),
                writer, metrics, properties.provider(), clock);
        this.thread = new Thread(this::loop, "bizgo-report-poller");
        this.thread.setDaemon(true);
    }

    @PostConstruct
    void start() {
        LOG.info("Polling {} reports from {}", properties.provider(), properties.baseUrl());
        thread.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(properties.requestTimeout().toMillis() + 1_000);
    }

    private void loop() {
        Backoff failures = Backoff.forever(properties.minInterval(), properties.maxBackoff());
        int failedInARow = 0;
        while (running) {
            BizgoReportPoller.Outcome outcome;
            try {
                outcome = poller.pollOnce();
            } catch (RuntimeException e) {
                // never let the thread die silently: nothing would be polled again while /health says UP
                LOG.error("Polling {} reports failed unexpectedly; retrying with back-off", properties.provider(), e);
                outcome = BizgoReportPoller.Outcome.FAILED;
            }
            if (outcome == BizgoReportPoller.Outcome.FAILED) {
                metrics.pollFailed(properties.provider());
            }
            Duration pause = switch (outcome) {
                case STORED -> properties.minInterval().multipliedBy(2); // a GET and a DELETE were made
                case EMPTY -> max(properties.idleBackoff(), properties.minInterval());
                case FAILED -> failures.pause(failedInARow);
            };
            failedInARow = outcome == BizgoReportPoller.Outcome.FAILED ? failedInARow + 1 : 0;
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
