package dev.deliverytracker.status.api;

import dev.deliverytracker.status.state.Attempt;
import dev.deliverytracker.status.state.TrackedDelivery;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /v1/deliveries/{msgKey}} answers: the delivery's current state. No phone numbers.
 *
 * @param phase     PENDING, STUCK, ORPHAN, UNMATCHED or SETTLED (where the delivery is in its life)
 * @param status    the last status emitted (PENDING, FALLBACK, SENT, DEAD_LETTER, STUCK_PENDING, UNMATCHED_REPORT)
 * @param deadline  the next timer: report deadline, maximum age, end of grace, or end of retention
 */
@Serdeable
public record DeliveryView(String msgKey,
                           String phase,
                           @Nullable String status,
                           @Nullable String classification,
                           @Nullable String code,
                           @Nullable String text,
                           @Nullable String provider,
                           @Nullable String channel,
                           List<String> flow,
                           @Nullable String origin,
                           @Nullable String templateCode,
                           @Nullable String requestId,
                           @Nullable String ref,
                           @Nullable Instant acceptedAt,
                           @Nullable Instant resolvedAt,
                           @Nullable Instant deadline,
                           boolean late,
                           int duplicates,
                           int contradictions,
                           List<AttemptView> attempts) {

    /** One report received for the delivery. */
    @Serdeable
    public record AttemptView(String channel, String code, @Nullable String text, String classification, Instant reportedAt) {
        static AttemptView of(Attempt a) {
            return new AttemptView(a.channel().name(), a.code(), a.text(), a.classification().name(), Instant.ofEpochMilli(a.reportedAt()));
        }
    }

    public static DeliveryView of(TrackedDelivery d) {
        List<Attempt> reports = d.sendSeen ? d.attempts : d.held;
        return new DeliveryView(d.msgKey, d.phase.name(),
                name(d.status), name(d.classification), d.code, d.text, d.provider, name(d.channel),
                d.flow.stream().map(Enum::name).toList(), d.origin, d.templateCode, d.requestId, d.ref,
                time(d.acceptedAt), time(d.resolvedAt), time(d.deadline), d.late, d.duplicates, d.contradictions,
                reports.stream().map(AttemptView::of).toList());
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static Instant time(long millis) {
        return millis < 0 ? null : Instant.ofEpochMilli(millis);
    }
}
