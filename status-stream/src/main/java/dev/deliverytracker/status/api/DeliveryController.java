package dev.deliverytracker.status.api;

import dev.deliverytracker.support.OriginTokens;
import dev.deliverytracker.support.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * {@code GET /v1/deliveries/{msgKey}}: what happened to message X. A bearer token is required ({@link QueryAccess});
 * a delivery of another origin than the token's is answered exactly like an unknown one, so a producer cannot learn
 * that someone else's msgKey exists.
 */
@Controller("/v1/deliveries")
public class DeliveryController {

    private static final int MAX_KEY_LENGTH = 256;

    private final DeliveryLookup lookup;
    private final QueryAccess access;

    public DeliveryController(DeliveryLookup lookup, QueryAccess access) {
        this.lookup = lookup;
        this.access = access;
    }

    @Get("/{msgKey}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> get(@PathVariable String msgKey,
                               @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                               @Nullable @Header(DeliveryLookup.FORWARDED_HEADER) String forwarded) {
        QueryAccess.Decision decision = access.decide(authorization);
        if (decision instanceof QueryAccess.Decision.Closed closed) {
            return Problem.response(HttpStatus.FORBIDDEN, "query-closed", "Delivery query API closed", closed.reason());
        }
        if (decision instanceof QueryAccess.Decision.Unauthenticated denied) {
            return Problem.response(HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated",
                            denied.reason() + ". Send 'Authorization: Bearer <token>' (your send-service token)")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"status-stream\"");
        }
        OriginTokens.Check.Allowed caller = ((QueryAccess.Decision.Read) decision).caller();
        if (msgKey.isBlank() || msgKey.length() > MAX_KEY_LENGTH) {
            return Problem.response(HttpStatus.BAD_REQUEST, "invalid-msg-key", "Invalid msgKey",
                    "msgKey must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        DeliveryLookup.Result result = lookup.find(msgKey, forwarded != null, authorization);
        if (result instanceof DeliveryLookup.Result.Found found && caller.mayRead(found.delivery().origin())) {
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
