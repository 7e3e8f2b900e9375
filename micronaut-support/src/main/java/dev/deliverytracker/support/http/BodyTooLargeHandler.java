package dev.deliverytracker.support.http;

import dev.deliverytracker.support.Problem;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.ReadableBytes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Every service's answer to a body over {@code micronaut.server.max-request-size}: {@code 413} as problem+json, saying
 * the limit. A service that counts, logs or advises on refused bodies provides a {@link TooLargeRequests} bean.
 */
@Produces
@Singleton
@Replaces(ContentLengthExceededHandler.class)
@Requires(classes = {ContentLengthExceededException.class, ExceptionHandler.class, ContentLengthExceededHandler.class})
public class BodyTooLargeHandler implements ExceptionHandler<ContentLengthExceededException, HttpResponse<?>> {

    private final long limit;
    private final TooLargeRequests hooks;

    public BodyTooLargeHandler(@Value("${micronaut.server.max-request-size:10MB}") @ReadableBytes long limit,
                               @Nullable TooLargeRequests hooks) {
        this.limit = limit;
        this.hooks = hooks == null ? new TooLargeRequests() { } : hooks;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, ContentLengthExceededException exception) {
        hooks.refused(request);
        String advice = hooks.advice();
        return Problem.response(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "too-large", "Body too large",
                "A request body may be at most " + limit + " bytes" + (advice == null || advice.isBlank() ? "" : "; " + advice));
    }
}
