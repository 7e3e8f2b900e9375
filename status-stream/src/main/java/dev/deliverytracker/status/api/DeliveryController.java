package dev.deliverytracker.status.api;

import dev.deliverytracker.support.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** {@code GET /v1/deliveries/{msgKey}}: what happened to message X. */
@Controller("/v1/deliveries")
public class DeliveryController {

    private static final int MAX_KEY_LENGTH = 256;

    private final DeliveryLookup lookup;

    public DeliveryController(DeliveryLookup lookup) {
        this.lookup = lookup;
    }

    @Get("/{msgKey}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> get(@PathVariable String msgKey,
                               @Nullable @Header(DeliveryLookup.FORWARDED_HEADER) String forwarded) {
        if (msgKey.isBlank() || msgKey.length() > MAX_KEY_LENGTH) {
            return Problem.response(HttpStatus.BAD_REQUEST, "invalid-msg-key", "Invalid msgKey",
                    "msgKey must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        DeliveryLookup.Result result = lookup.find(msgKey, forwarded != null);
        if (result instanceof DeliveryLookup.Result.Found found) {
            return HttpResponse.ok(found.delivery());
        }
        if (result instanceof DeliveryLookup.Result.Unavailable unavailable) {
            return Problem.response(HttpStatus.SERVICE_UNAVAILABLE, "not-available", "Delivery state not available",
                    unavailable.reason()).header("Retry-After", "1");
        }
        return Problem.response(HttpStatus.NOT_FOUND, "unknown-delivery", "Unknown delivery",
                "No delivery with msgKey '" + msgKey + "' is tracked: it was never sent through delivery-tracker,"
                        + " or it settled more than the retention period ago.");
    }
}
