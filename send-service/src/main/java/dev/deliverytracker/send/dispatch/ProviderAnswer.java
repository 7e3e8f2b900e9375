package dev.deliverytracker.send.dispatch;

/**
 * What the provider answered for one recipient: the adapter's side. {@link SendDispatcher} turns it into a
 * {@link RecipientOutcome}, what the producer is told (with our request id, and the case of no answer at all).
 */
public sealed interface ProviderAnswer {

    /** Accepted (not delivered!) under {@code msgKey}; {@code duplicate} when an earlier request with the same key was. */
    record Accepted(String msgKey, String code, String text, boolean duplicate) implements ProviderAnswer {
    }

    /** Refused for good: bad template, bad number, no permission. The most specific layer's code. */
    record Rejected(String code, String text) implements ProviderAnswer {
    }

    /** Accepted by an earlier request with the same idempotency key, but the provider did not repeat the msgKey. */
    record AlreadyAccepted(String code, String text) implements ProviderAnswer {
    }
}
