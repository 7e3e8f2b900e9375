package dev.deliverytracker.send.dispatch;

/**
 * The provider could not be reached or did not answer usefully, after the retries that were safe.
 * {@code outcomeUnknown}: the request may have been accepted (a timeout or 5xx without an idempotency key), so a
 * blind resend could deliver the message twice.
 */
public class ProviderUnavailableException extends Exception {

    private final boolean outcomeUnknown;
    private final int attempts;

    public ProviderUnavailableException(String message, boolean outcomeUnknown, int attempts, Throwable cause) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
        this.attempts = attempts;
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    public int attempts() {
        return attempts;
    }
}
