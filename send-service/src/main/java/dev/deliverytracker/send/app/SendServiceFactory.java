package dev.deliverytracker.send.app;

import dev.deliverytracker.send.api.ClientTokens;
import dev.deliverytracker.send.api.SendAnswer;
import dev.deliverytracker.send.idempotency.IdempotencyCache;
import dev.deliverytracker.send.privacy.RecipientHasher;
import dev.deliverytracker.send.record.Outbox;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;

/** Wires send-service's plain objects from {@link SendServiceProperties}; missing secrets stop the start-up. */
@Factory
public class SendServiceFactory {

    @Singleton
    RecipientHasher recipientHasher(SendServiceProperties properties) {
        return new RecipientHasher(properties.recipientHashKey());
    }

    @Singleton
    ClientTokens clientTokens(SendServiceProperties properties) {
        return ClientTokens.parse(properties.clientTokens(), properties.allowAnonymous());
    }

    @Singleton
    @Bean(preDestroy = "close")
    Outbox outbox(SendServiceProperties properties) {
        return new Outbox(Path.of(properties.outboxDir()));
    }

    @Singleton
    IdempotencyCache<SendAnswer> idempotencyCache(SendServiceProperties properties) {
        return new IdempotencyCache<>(properties.idempotencyTtl(), properties.idempotencyMaxEntries(), Clock.systemUTC());
    }
}
