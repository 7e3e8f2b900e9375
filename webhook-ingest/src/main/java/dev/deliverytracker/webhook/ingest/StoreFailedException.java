package dev.deliverytracker.webhook.ingest;

/** A report was not durably stored: the provider must be told to retry (503). */
public final class StoreFailedException extends RuntimeException {

    public StoreFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
