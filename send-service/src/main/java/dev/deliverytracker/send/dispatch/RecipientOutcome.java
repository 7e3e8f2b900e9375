package dev.deliverytracker.send.dispatch;

/**
 * What became of one recipient's send, as the producer is told: made by {@link SendDispatcher} from the provider's
 * {@link ProviderAnswer} (or from no answer: {@link Unavailable}), with our request id.
 */
public sealed interface RecipientOutcome {

    String requestId();

    /** The provider accepted it (not delivered): status-stream tracks it from here. */
    record Accepted(String requestId, String msgKey) implements RecipientOutcome {
    }

    /** The provider refused it; recorded as a rejected send. */
    record Rejected(String requestId, String providerCode, String providerMessage) implements RecipientOutcome {
    }

    /** An earlier request with the same Idempotency-Key was accepted, and the provider did not repeat its msgKey. */
    record AlreadyAccepted(String requestId, String providerCode) implements RecipientOutcome {
    }

    /** No answer settled it; {@code outcomeUnknown} when the provider may have accepted it anyway. */
    record Unavailable(String requestId, String detail, boolean outcomeUnknown) implements RecipientOutcome {
    }
}
