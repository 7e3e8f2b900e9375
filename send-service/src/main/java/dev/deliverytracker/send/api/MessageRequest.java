package dev.deliverytracker.send.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/messages}: one message to one recipient.
 */
@Serdeable
@Schema(description = "One message to one recipient, through an ordered flow of channels (each next one is the fallback of the one before).")
public record MessageRequest(
        @Schema(description = "Recipient phone number: 010-1234-5678, 01012345678 or +821012345678", example = "010-1234-5678")
        @Nullable String to,
        @Schema(description = "Channels in order: the first is tried first; each next one is the fallback")
        @Nullable List<FlowStepRequest> flow,
        @Schema(description = "Values for the placeholders of the texts, by variable name")
        @Nullable Map<String, String> variables,
        @Schema(description = "The calling service (billing, auth, ...): who sent what. Must match the token's origin", example = "billing")
        @Nullable String origin,
        @Schema(description = "Your own id for this message, passed through to events and reports", example = "invoice-2026-11-0042")
        @Nullable String ref,
        @Schema(description = "Provider to send through; default from configuration", example = "bizgo")
        @Nullable String provider,
        @Schema(description = "How long to wait for the delivery report before the delivery is reported STUCK_PENDING (ISO-8601)", example = "PT10M")
        @Nullable String timeout) {
}
