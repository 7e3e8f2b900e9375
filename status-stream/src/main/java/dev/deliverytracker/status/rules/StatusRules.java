package dev.deliverytracker.status.rules;

import java.time.Duration;

/**
 * The rules of the delivery state machine, all from configuration.
 *
 * @param timeouts         report deadlines per provider and channel (STUCK_PENDING after them)
 * @param classifier       report code meanings per provider
 * @param maxAge           after this long without a report (from acceptance), DEAD_LETTER / NO_REPORT (default 24 h)
 * @param orphanGrace      how long a report that came before its send is held (default 2 min)
 * @param settledRetention how long a settled delivery is remembered to absorb duplicates (default 48 h)
 * @param emitPending      whether an accepted send emits a PENDING status (analytics count sends from it)
 */
public record StatusRules(DeliveryTimeouts timeouts,
                          CodeClassifier classifier,
                          Duration maxAge,
                          Duration orphanGrace,
                          Duration settledRetention,
                          boolean emitPending) {

    public StatusRules {
        positive("max age", maxAge);
        positive("orphan grace", orphanGrace);
        positive("settled retention", settledRetention);
    }

    /** The documented defaults: 10 min timeout, 24 h max age, 2 min grace, 48 h retention, PENDING emitted. */
    public static StatusRules defaults() {
        return new StatusRules(DeliveryTimeouts.of(Duration.ofMinutes(10)), CodeClassifier.defaults(),
                Duration.ofHours(24), Duration.ofMinutes(2), Duration.ofHours(48), true);
    }

    private static void positive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive duration, was " + value);
        }
    }
}
