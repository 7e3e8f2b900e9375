package dev.deliverytracker.support.http;

import io.micronaut.http.HttpRequest;

/** What a service adds to {@link BodyTooLargeHandler}'s {@code 413}: a count or a log line, and advice for the caller. */
public interface TooLargeRequests {

    /** Called once for every refused request. */
    default void refused(HttpRequest<?> request) {
    }

    /** Appended to the problem's detail (e.g. "split large batches"); null for none. */
    default String advice() {
        return null;
    }
}
