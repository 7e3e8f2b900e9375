package dev.deliverytracker.retry;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A server's {@code Retry-After} header as a pause, for {@link Backoff#pause(int, Duration)}: the delay-seconds form
 * (what the servers we call send: Bizgo, NCP's gateway, Slack); an HTTP-date, a negative or a garbled value is ignored.
 */
public final class RetryAfter {

    private RetryAfter() {
    }

    public static Optional<Duration> of(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                long seconds = Long.parseLong(value.trim());
                return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }
}
