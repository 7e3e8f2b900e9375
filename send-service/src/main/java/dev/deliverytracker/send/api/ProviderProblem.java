package dev.deliverytracker.send.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * 422 problem+json: the provider refused the message. Carries the provider's own code and text, and the request id
 * under which the rejected send was recorded (status-stream turns it into DEAD_LETTER).
 */
@Serdeable
public record ProviderProblem(String type, String title, int status, String detail, String provider,
                              String providerCode, @Nullable String providerMessage, String requestId) {
}
