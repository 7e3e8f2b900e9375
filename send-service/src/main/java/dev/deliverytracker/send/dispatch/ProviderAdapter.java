package dev.deliverytracker.send.dispatch;

import dev.deliverytracker.events.Channel;

import java.util.List;
import java.util.Optional;

/** A message provider's send API. One implementation per provider; {@link ProviderAdapters} finds them by name. */
public interface ProviderAdapter {

    /** Lower case, as in events and config: bizgo, aligo, ncp-sens. */
    String name();

    /** The KakaoTalk sender profile key used when a request names none. */
    default Optional<String> defaultSenderKey() {
        return Optional.empty();
    }

    /** The registered SMS/LMS sender number used when a request names none. */
    default Optional<String> defaultSmsFrom() {
        return Optional.empty();
    }

    /** What each channel's text may be through this provider (checked by the request validator, after variables). */
    ChannelLimits channelLimits();

    /** Why this provider cannot send a flow of these channels, in this order; empty when it can (the default). */
    default Optional<String> checkFlow(List<Channel> flow) {
        return Optional.empty();
    }

    /** How many recipients one request may carry (Bizgo: 200). Larger sends are split. */
    int maxRecipientsPerRequest();

    /**
     * Sends {@code message} to {@code recipients} in one request and answers one result per recipient, in order.
     * Retries only what is safe to repeat: with an {@code idempotencyKey}, or when the request never left.
     *
     * @throws ProviderUnavailableException when no answer settles the request
     */
    List<ProviderAnswer> send(OutgoingMessage message, List<Recipient> recipients, Optional<String> idempotencyKey)
            throws ProviderUnavailableException;
}
