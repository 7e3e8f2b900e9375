package dev.deliverytracker.send.record;

/** A send event could not be written where it was meant to go. */
public class RecordFailedException extends RuntimeException {

    public RecordFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
