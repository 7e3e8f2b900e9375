package dev.deliverytracker.webhook.poll;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.ReportSource;
import dev.deliverytracker.webhook.http.WebhookMetrics;
import dev.deliverytracker.webhook.ingest.RefusedReport;
import dev.deliverytracker.webhook.ingest.ReportWriter;
import dev.deliverytracker.support.DurableWriteException;
import dev.deliverytracker.webhook.provider.WebhookRejection;
import dev.deliverytracker.webhook.provider.bizgo.BizgoReports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * One round of Bizgo's polling protocol: fetch a batch, store every report durably, and only then acknowledge it.
 * A crash or failure between storing and acknowledging replays the batch: harmless, status-stream removes
 * duplicates. A batch that could not be stored is never acknowledged.
 */
public final class BizgoReportPoller {

    /** What one round did, so the caller can pace itself. */
    public enum Outcome { STORED, EMPTY, FAILED }

    private static final Logger LOG = LoggerFactory.getLogger(BizgoReportPoller.class);

    private final BizgoPollingClient client;
    private final ReportWriter writer;
    private final WebhookMetrics metrics;
    private final String provider;
    private final Clock clock;

    public BizgoReportPoller(BizgoPollingClient client, ReportWriter writer, WebhookMetrics metrics, String provider, Clock clock) {
        this.client = client;
        this.writer = writer;
        this.metrics = metrics;
        this.provider = provider;
        this.clock = clock;
    }

    public Outcome pollOnce() {
        BizgoPollingClient.Batch batch;
        try {
            batch = client.poll();
        } catch (BizgoPollingClient.PollingException e) {
            LOG.warn("Polling {} reports failed: {}", provider, e.getMessage());
            return Outcome.FAILED;
        }
        if (batch.isEmpty()) {
            return Outcome.EMPTY;
        }
        List<ProviderReport> reports = new ArrayList<>(batch.reports().size());
        List<RefusedReport> refused = new ArrayList<>();
        for (JsonNode node : batch.reports()) {
            try {
                reports.add(BizgoReports.fromJson(node, provider, ReportSource.POLL, false, null, clock.instant()));
            } catch (WebhookRejection e) {
                metrics.rejected(provider, e.reason().tag());
                LOG.warn("An unreadable {} report in polled batch {} goes to the dead-records topic: {}", provider,
                        batch.reportId(), e.getMessage());
                refused.add(new RefusedReport(provider, "poll batch " + batch.reportId(),
                        String.valueOf(node).getBytes(StandardCharsets.UTF_8), e));
            }
        }
        long started = System.nanoTime();
        try {
            writer.keepRefused(refused);
            writer.writeAll(reports);
        } catch (DurableWriteException e) {
            metrics.storeFailed(provider);
            LOG.error("Polled batch {} of {} reports not stored ({}); not acknowledging it, it will come again",
                    batch.reportId(), reports.size(), e.getMessage());
            return Outcome.FAILED;
        }
        reports.forEach(r -> metrics.stored(provider, (System.nanoTime() - started) / Math.max(1, reports.size())));
        try {
            client.acknowledge(batch.reportId());
        } catch (BizgoPollingClient.PollingException e) {
            LOG.warn("Batch {} stored but not acknowledged ({}); it will be polled and stored again", batch.reportId(), e.getMessage());
            return Outcome.FAILED;
        }
        return Outcome.STORED;
    }
}
