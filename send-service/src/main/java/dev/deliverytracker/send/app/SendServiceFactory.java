package dev.deliverytracker.send.app;

import dev.deliverytracker.send.api.SendAnswer;
import dev.deliverytracker.send.idempotency.Idempotency;
import dev.deliverytracker.send.privacy.RecipientHasher;
import dev.deliverytracker.send.record.Outbox;
import dev.deliverytracker.support.OriginTokens;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Duration;

/** Wires send-service's plain objects from {@link SendServiceProperties}; missing secrets stop the start-up. */
@Factory
public class SendServiceFactory {

    @Singleton
    RecipientHasher recipientHasher(SendServiceProperties properties) {
        return new RecipientHasher(properties.recipientHashKey());
    }

    @Singleton
    OriginTokens clientTokens(SendServiceProperties properties) {
        OriginTokens tokens = OriginTokens.parse(properties.clientTokens(), "SEND_SERVICE_CLIENT_TOKENS");
        if (tokens.isEmpty() && !properties.allowAnonymous()) {
            throw new IllegalStateException("No producer tokens: set SEND_SERVICE_CLIENT_TOKENS (origin=token,...), "
                    + "or delivery.send-service.allow-anonymous=true for development");
        }
        if (tokens.hasOrigin(OriginTokens.ANY_ORIGIN)) {
            throw new IllegalStateException("SEND_SERVICE_CLIENT_TOKENS: '" + OriginTokens.ANY_ORIGIN
                    + "' is not an origin a producer can send as; name the producer (billing=<token>)");
        }
        return tokens;
    }

    @Singleton
    @Bean(preDestroy = "close")
    Outbox outbox(SendServiceProperties properties) {
        return new Outbox(Path.of(properties.outboxDir()));
    }

    /** A replay of a key whose first request is still running waits this long for its answer, then answers 503. */
    private static final Duration REPLAY_WAIT = Duration.ofMinutes(2);

    @Singleton
    Idempotency<SendAnswer> idempotency(SendServiceProperties properties) {
        return new Idempotency<>(properties.idempotencyTtl(), properties.idempotencyMaxEntries(), REPLAY_WAIT);
    }
}
