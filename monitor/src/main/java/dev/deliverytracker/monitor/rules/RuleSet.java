package dev.deliverytracker.monitor.rules;

import dev.deliverytracker.events.AlertSeverity;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The thresholds of every rule, as they apply to one provider (the defaults with that provider's overrides applied).
 * Built and validated by {@link AlertRules}.
 */
public record RuleSet(AccountFailure accountFailure,
                      FailureRate failureRate,
                      StuckBacklog stuckBacklog,
                      ReportsSilent reportsSilent,
                      UnmatchedReports unmatchedReports) {

    /**
     * Any ACCOUNT_FAILURE status, or a send rejected with one of {@code rejectedCodes}, fires at once; resolves after a
     * delivery succeeded again and no account failure was seen for {@code resolveAfter}.
     */
    public record AccountFailure(boolean enabled, AlertSeverity severity, Duration resolveAfter, Set<String> rejectedCodes) {
    }

    /**
     * failed / settled over {@code window} at or above {@code threshold}, with at least {@code minSamples} settled, per
     * provider and each of {@code dimensions}; resolves below {@code resolveBelow}.
     */
    public record FailureRate(boolean enabled, AlertSeverity severity, Duration window, double threshold, double resolveBelow,
                              long minSamples, List<Dimension> dimensions) {
    }

    /** Deliveries STUCK_PENDING per provider and channel: at least {@code count}, or the oldest older than {@code oldest}. */
    public record StuckBacklog(boolean enabled, AlertSeverity severity, long count, Duration oldest) {
    }

    /** At least {@code minSends} sends accepted and no report at all for {@code silenceAfter}. */
    public record ReportsSilent(boolean enabled, AlertSeverity severity, Duration silenceAfter, long minSends) {
    }

    /** At least {@code count} UNMATCHED_REPORT events over {@code window}. */
    public record UnmatchedReports(boolean enabled, AlertSeverity severity, Duration window, long count) {
    }

    /** The longest window any rule looks back over: how long time buckets are kept. */
    public Duration longestWindow() {
        return failureRate.window().compareTo(unmatchedReports.window()) >= 0 ? failureRate.window() : unmatchedReports.window();
    }
}
