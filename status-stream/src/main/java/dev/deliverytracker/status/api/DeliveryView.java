package dev.deliverytracker.status.api;

import dev.deliverytracker.events.ChannelAttempt;
import dev.deliverytracker.state.TrackedDelivery;
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

    /**
     * One report received for the delivery: the JSON shape of the state's (and the status event's)
     * {@link ChannelAttempt}, which is an Avro record and so not itself the API's contract.
     */
    @Serdeable
    public record AttemptView(String channel, String code, @Nullable String text, String classification, Instant reportedAt) {
        static AttemptView of(ChannelAttempt a) {
            return new AttemptView(a.getChannel().name(), a.getCode(), a.getText(), a.getClassification().name(), a.getReportedAt());
        }
    }

    public static DeliveryView of(TrackedDelivery d) {
        List<ChannelAttempt> reports = d.getSendSeen() ? d.getAttempts() : d.getHeld();
        return new DeliveryView(d.getMsgKey(), d.getPhase().name(),
                name(d.getStatus()), name(d.getClassification()), d.getCode(), d.getText(), d.getProvider(), name(d.getChannel()),
                d.getFlow().stream().map(Enum::name).toList(), d.getOrigin(), d.getTemplateCode(), d.getRequestId(), d.getRef(),
                time(d.getAcceptedAt()), time(d.getResolvedAt()), time(d.getDeadline() < 0 ? null : d.getDeadline()),
                d.getLate(), d.getDuplicates(), d.getContradictions(), reports.stream().map(AttemptView::of).toList());
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static Instant time(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
