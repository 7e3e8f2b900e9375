package dev.deliverytracker.webhook.ingest;

import dev.deliverytracker.support.DurableWriteException;
import dev.deliverytracker.events.ProviderReport;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where verified reports go. Durable before acknowledged: when a call returns, every report is stored; otherwise it
 * throws {@link DurableWriteException} and the caller must not acknowledge anything. {@link KafkaReportWriter} is the
 * implementation.
 */
public interface ReportWriter {

    /** Stores every report keyed by msgKey, or throws. */
    void writeAll(List<ProviderReport> reports);

    /**
     * Keeps refused reports (raw bytes and the reason) on the dead-records topic, or throws; called before the
     * refusal is answered or a polled batch acknowledged.
     */
    void keepRefused(List<RefusedReport> refused);

    /** Stores one report, or throws. */
    default void store(ProviderReport report) {
        writeAll(List.of(report));
    }

    /**
     * Stores one report without holding the caller's thread: the future completes once it is stored, or fails with
     * {@link DurableWriteException}. The webhook answers from it.
     */
    CompletableFuture<Void> writeAsync(ProviderReport report);
}
