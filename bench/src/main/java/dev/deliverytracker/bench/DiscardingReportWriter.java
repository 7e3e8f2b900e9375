package dev.deliverytracker.bench;

import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.webhook.ingest.KafkaReportWriter;
import dev.deliverytracker.webhook.ingest.ReportWriter;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The webhook benchmark's baseline: the same server, the same verification and parsing, but reports are dropped
 * instead of written to Kafka. Exists only on the bench classpath and only with {@code bench.baseline=true}.
 */
@Singleton
@Replaces(KafkaReportWriter.class)
@Requires(property = "bench.baseline", value = "true")
public class DiscardingReportWriter implements ReportWriter {

    @Override
    public void writeAll(List<ProviderReport> reports) {
        // the baseline stores nothing
    }

    @Override
    public CompletableFuture<Void> writeAsync(ProviderReport report) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void keepRefused(List<dev.deliverytracker.webhook.ingest.RefusedReport> refused) {
        // nor keeps anything
    }
}
