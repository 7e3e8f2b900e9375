package dev.deliverytracker.send.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** 200 for a batch: one result per recipient, in request order, with the status a single send would have had. */
@Serdeable
@Schema(description = "Per-recipient results of a batch, in request order")
public record BatchAnswer(int accepted, int rejected, int unavailable,
                          @Schema(description = "The worst tracking of the batch's events: RECORDED, DELAYED or UNTRACKED") String tracking,
                          @Schema(description = "Only when tracking is not RECORDED: what it means and what to do", nullable = true) @Nullable String warning,
                          List<Item> results) {

    /**
     * @param status   202 accepted, 409 accepted earlier under the same Idempotency-Key, 422 refused by the provider, 503 unavailable
     * @param tracking where this recipient's send event is (RECORDED, DELAYED or UNTRACKED); null when there is none (409, 503)
     */
    @Serdeable
    public record Item(int index, int status, String requestId, @Nullable String msgKey, @Nullable String statusUrl,
                       @Nullable String providerCode, @Nullable String detail,
                       @Schema(description = "Where this recipient's send event is: RECORDED, DELAYED, UNTRACKED; absent when there is no event (409, 503)", nullable = true)
                       @Nullable String tracking) {
    }
}
