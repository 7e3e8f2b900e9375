package dev.deliverytracker.send.provider;

/**
 * What a provider's answer code means for the send, the same for every provider (each keeps its codes in a table:
 * {@code bizgo/send-codes.tsv}, {@code ncp-sens/send-codes.tsv}).
 */
public enum AnswerDisposition {
    /** The provider took it (never "delivered"). */
    ACCEPTED,
    /** An earlier request with the same idempotency key was accepted: treat as accepted. */
    DUPLICATE,
    /** Refused for good: fix the request; recorded as a rejected send (DEAD_LETTER). */
    REJECTED,
    /** Our account or key is wrong: no retry, 503, nothing recorded, an operator must act. */
    MISCONFIGURED,
    /** Refused before processing: always safe to retry after a back-off. */
    RATE_LIMITED,
    /** May or may not have been processed: retry only with an idempotency key the provider honours. */
    RETRY_IF_IDEMPOTENT
}
