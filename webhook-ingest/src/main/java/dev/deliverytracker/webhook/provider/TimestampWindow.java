package dev.deliverytracker.webhook.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Refuses signed timestamps too far from now (either way), so a captured request cannot be replayed later. */
public record TimestampWindow(Duration tolerance, Clock clock) {

    /** Throws STALE_TIMESTAMP when {@code signedAt} is more than the tolerance away from now. */
    public void check(Instant signedAt) {
        Duration skew = Duration.between(signedAt, clock.instant()).abs();
        if (skew.compareTo(tolerance) > 0) {
            throw new WebhookRejection(WebhookRejection.Reason.STALE_TIMESTAMP,
                    "timestamp is " + skew.toSeconds() + " s from now; tolerance is " + tolerance.toSeconds() + " s");
        }
    }
}
