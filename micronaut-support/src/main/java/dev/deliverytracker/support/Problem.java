package dev.deliverytracker.support;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * An RFC 9457 problem detail ({@code application/problem+json}): the error body of every endpoint.
 *
 * @param type   a URI naming the kind of problem
 * @param title  a short summary of the kind
 * @param status the HTTP status
 * @param detail what happened this time and what to do
 * @param errors per-field errors, when the input was invalid
 */
@Serdeable
public record Problem(String type, String title, int status, @Nullable String detail, @Nullable Map<String, String> errors) {

    public static final MediaType MEDIA_TYPE = new MediaType("application/problem+json");

    public static MutableHttpResponse<Problem> response(HttpStatus status, String type, String title, String detail) {
        return HttpResponse.<Problem>status(status)
                .contentType(MEDIA_TYPE)
                .body(new Problem("urn:delivery-tracker:problem:" + type, title, status.getCode(), detail, null));
    }
}
