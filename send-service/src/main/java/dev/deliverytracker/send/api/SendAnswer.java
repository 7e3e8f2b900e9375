package dev.deliverytracker.send.api;

import dev.deliverytracker.support.Problem;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

import java.util.Map;

/**
 * An answer as it is remembered for an Idempotency-Key: status, body, content type and extra headers; {@code remember}
 * false for answers a retry should not get back (5xx, or a batch with unavailable recipients).
 */
public record SendAnswer(HttpStatus status, Object body, MediaType contentType, Map<String, String> headers, boolean remember) {

    public static SendAnswer json(HttpStatus status, Object body, Map<String, String> headers) {
        return new SendAnswer(status, body, MediaType.APPLICATION_JSON_TYPE, headers, true);
    }

    public static SendAnswer problem(HttpStatus status, Object problem, Map<String, String> headers) {
        return new SendAnswer(status, problem, Problem.MEDIA_TYPE, headers, true);
    }

    public static SendAnswer problem(HttpStatus status, String type, String title, String detail) {
        return problem(status, new Problem("urn:delivery-tracker:problem:" + type, title, status.getCode(), detail, null), Map.of());
    }

    /** Worth remembering: a retry of a 5xx should go to the provider again (under the same provider key). */
    public boolean worthRemembering() {
        return remember && status.getCode() < 500;
    }

    /** The same answer, remembered for its Idempotency-Key only if {@code remember}. */
    public SendAnswer withRemember(boolean remember) {
        return new SendAnswer(status, body, contentType, headers, remember);
    }

    public MutableHttpResponse<Object> toResponse(boolean replayed) {
        MutableHttpResponse<Object> response = HttpResponse.status(status).body(body).contentType(contentType);
        headers.forEach(response::header);
        if (replayed) {
            response.header("Idempotent-Replayed", "true");
        }
        return response;
    }
}
