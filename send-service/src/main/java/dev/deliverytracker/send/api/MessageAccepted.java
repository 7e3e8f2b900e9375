package dev.deliverytracker.send.api;

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
        @Schema(description = "RECORDED: tracked now; DELAYED: Kafka was unavailable, the send is in the local outbox and tracked once Kafka is back; UNTRACKED: it could not be recorded at all (an operator is alerted)") String tracking) {
}
