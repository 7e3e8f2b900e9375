package dev.deliverytracker.send.api;

import dev.deliverytracker.support.Problem;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.convert.format.ReadableBytes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** A body over {@code micronaut.server.max-request-size}: 413 as problem+json, saying the limit. */
@Produces
@Singleton
@Replaces(ContentLengthExceededHandler.class)
public class BodyTooLargeHandler implements ExceptionHandler<ContentLengthExceededException, HttpResponse<?>> {

    private final long limit;

    public BodyTooLargeHandler(@Value("${micronaut.server.max-request-size:1MB}") @ReadableBytes long limit) {
        this.limit = limit;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, ContentLengthExceededException exception) {
        return Problem.response(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "too-large", "Body too large",
                "A request body may be at most " + limit + " bytes; split large batches");
    }
}
