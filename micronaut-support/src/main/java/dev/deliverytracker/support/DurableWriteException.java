package dev.deliverytracker.support;

/** A {@link DurableProducer} write that Kafka did not acknowledge in time; nothing may be acknowledged upstream. */
public class DurableWriteException extends RuntimeException {

    public DurableWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
