package dev.deliverytracker.send.dispatch;

/** What the provider answered for one recipient. */
public sealed interface RecipientResult {

    /** Accepted (not delivered!) under {@code msgKey}; {@code duplicate} when an earlier request with the same key was. */
    record Accepted(String msgKey, String code, String text, boolean duplicate) implements RecipientResult {
    }

    /** Refused for good: bad template, bad number, no permission. The most specific layer's code. */
    record Rejected(String code, String text) implements RecipientResult {
    }

    /** Accepted by an earlier request with the same idempotency key, but the provider did not repeat the msgKey. */
    record AlreadyAccepted(String code, String text) implements RecipientResult {
    }
}
