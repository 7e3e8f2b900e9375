package dev.deliverytracker.send.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/** 202: the provider accepted the message. Accepted is not delivered: follow statusUrl. */
@Serdeable
@Schema(description = "The provider accepted the message (not delivered yet): its fate arrives at statusUrl")
public record MessageAccepted(
        @Schema(description = "The provider's message key; delivery reports and status events carry it") String msgKey,
        @Schema(description = "Our id of this send") String requestId,
        @Schema(description = "Always PENDING: only a delivery report settles a message", example = "PENDING") String status,
        @Schema(description = "status-stream's GET /v1/deliveries/{msgKey}") String statusUrl,
        @Schema(description = "RECORDED: tracked now; DELAYED: Kafka was unavailable, the send is in the local outbox and tracked once Kafka is back; UNTRACKED: it could not be recorded at all (an operator is alerted); retry with the same Idempotency-Key to record it") String tracking,
        @Schema(description = "Only when tracking is not RECORDED: what it means and what to do, in plain words", nullable = true) @Nullable String warning) {

    /** The plain words for a tracking other than RECORDED; null for RECORDED. */
    static String warningFor(String tracking) {
        return switch (tracking) {
            case "DELAYED" -> "Kafka was unavailable: the send is kept in send-service's local outbox and is tracked once Kafka is back;"
                    + " its status appears later than usual.";
            case "UNTRACKED" -> "The provider accepted the message, but neither Kafka nor the local outbox could record it, so nothing"
                    + " tracks it: no status, no alert if it is not delivered. Retry the request with the same Idempotency-Key; the"
                    + " provider does not send it twice (its idempotency key) and the retry records it. Without an Idempotency-Key a"
                    + " retry sends the message again.";
            default -> null;
        };
    }
}
