package dev.deliverytracker.monitor.dashboard;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the dashboard's JSON API answers; the page renders exactly these. */
public final class DashboardViews {

    private DashboardViews() {
    }

    @Serdeable
    @Schema(description = "The tiles: totals over the window. deliveryRate = delivered / (delivered + failed); latency percentiles are "
            + "the upper bound of the histogram bucket the percentile falls in (-1: over an hour)")
    public record Summary(String window, Instant from, Instant to, long accepted, long delivered, long failed,
                          Map<String, Long> failedByClassification, @Nullable Double deliveryRate, long stuckNow,
                          long becameStuck, long unmatched, long fallback,
                          @Nullable Long latencyP50Ms, @Nullable Long latencyP95Ms) {
    }

    @Serdeable
    @Schema(description = "Per-minute counts, one entry per minute of the window, oldest first (minute starts in epoch ms)")
    public record TimeSeries(String window, List<Long> minutes, List<Long> accepted, List<Long> delivered, List<Long> failed,
                             List<Long> stuck) {
    }

    @Serdeable
    @Schema(description = "Counts per provider, channel, template and origin; worst delivery rate first unless sorted otherwise")
    public record BreakdownRow(String provider, String channel, @Nullable String template, @Nullable String origin, long accepted,
                               long delivered, long failed, long stuck, long unmatched, @Nullable Double deliveryRate) {
    }

    @Serdeable
    @Schema(description = "A failure code in the window, most frequent first")
    public record FailureCode(String provider, String code, String classification, @Nullable String text, long count,
                              Instant lastSeen) {
    }

    @Serdeable
    @Schema(description = "A delivery stuck now (oldest first) or recently failed (newest first); details at historyUrl")
    public record ListedDelivery(String msgKey, @Nullable String recipientMasked, String status, String provider, @Nullable String channel,
                                 @Nullable String origin,
                                 @Nullable String template, @Nullable Instant acceptedAt, Instant at, long ageSeconds,
                                 @Nullable String code, @Nullable String classification, @Nullable String text, String historyUrl) {
    }
}
