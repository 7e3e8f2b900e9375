package dev.deliverytracker.send.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** {@code POST /v1/messages/batch}: one message to up to 500 recipients, each with its own variables and ref. */
@Serdeable
@Schema(description = "One message to many recipients (at most 500)")
public record BatchRequest(
        @Nullable List<BatchRecipient> recipients,
        @Nullable List<FlowStepRequest> flow,
        @Nullable String origin,
        @Schema(description = "Reference for every recipient without its own") @Nullable String ref,
        @Nullable String provider,
        @Nullable String timeout) {

    /** One recipient of a batch. */
    @Serdeable
    public record BatchRecipient(@Nullable String to, @Nullable Map<String, String> variables, @Nullable String ref) {
    }
}
