package dev.deliverytracker.schemas.serde;

import org.apache.kafka.common.errors.RetriableException;

/**
 * A record could not be (de)serialised because the Schema Registry did not answer (down, unreachable, failing with
 * 5xx after the client's retries), not because the record is bad. Retriable: the record must be tried again once
 * the registry is back, never dead-lettered or skipped.
 */
public class RegistryUnavailableException extends RetriableException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True if {@code error} or one of its causes is a registry outage. */
    public static boolean isCauseOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RegistryUnavailableException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
