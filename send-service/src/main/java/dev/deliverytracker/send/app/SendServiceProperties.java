package dev.deliverytracker.send.app;

import dev.deliverytracker.support.DurableProducer;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * send-service's settings ({@code delivery.send-service.*}).
 *
 * @param defaultProvider        the provider used when a request names none
 * @param statusBaseUrl          where status-stream's query API is, for the {@code statusUrl} in answers
 * @param recordTimeout          how long to wait for Kafka's acknowledgement before using the outbox
 * @param outboxDir              the local outbox directory (must survive restarts: a volume in containers)
 * @param outboxRetryInterval    how often the outbox replayer retries while Kafka is away
 * @param recipientHashKey       the secret of the recipient hash (RECIPIENT_HASH_KEY), at least 16 bytes
 * @param clientTokens           producers' bearer tokens, {@code origin=token,origin=token} (SEND_SERVICE_CLIENT_TOKENS)
 * @param allowAnonymous         accept requests without a token (development only); the origin is then unverified
 * @param maxBatchSize           recipients per batch call
 * @param maxTimeout             the longest per-message {@code timeout} a producer may ask for
 * @param idempotencyTtl         how long an Idempotency-Key's answer is remembered
 * @param idempotencyMaxEntries  how many keys may be remembered at once
 */
@ConfigurationProperties("delivery.send-service")
public record SendServiceProperties(
        @Bindable(defaultValue = "bizgo") String defaultProvider,
        @Bindable(defaultValue = "http://localhost:8083") String statusBaseUrl,
        @Bindable(defaultValue = "2s") Duration recordTimeout,
        @Bindable(defaultValue = "data/send-service/outbox") String outboxDir,
        @Bindable(defaultValue = "1s") Duration outboxRetryInterval,
        @Nullable String recipientHashKey,
        @Nullable String clientTokens,
        @Bindable(defaultValue = "false") boolean allowAnonymous,
        @Bindable(defaultValue = "500") int maxBatchSize,
        @Bindable(defaultValue = "7d") Duration maxTimeout,
        @Bindable(defaultValue = "24h") Duration idempotencyTtl,
        @Bindable(defaultValue = "1000000") int idempotencyMaxEntries) {

    public SendServiceProperties {
        if (recordTimeout.compareTo(DurableProducer.MIN_TIMEOUT) < 0) {
            throw new IllegalArgumentException("delivery.send-service.record-timeout is " + recordTimeout + ": it must be at least "
                    + DurableProducer.MIN_TIMEOUT + " (Kafka's producer cannot honour less); 2s is the default");
        }
    }
}
