package dev.deliverytracker.schemas.topics;

/** Header names on records in the dead-records topic (every writer of it uses them): where the record came from and why it could not be used. */
public final class DeadRecordHeaders {

    public static final String TOPIC = "dt.error.topic";
    public static final String PARTITION = "dt.error.partition";
    public static final String OFFSET = "dt.error.offset";
    /** deserialize, validate or process. */
    public static final String STAGE = "dt.error.stage";
    public static final String EXCEPTION = "dt.error.exception";
    public static final String MESSAGE = "dt.error.message";
    public static final String APPLICATION = "dt.error.application";
    /** Records that never were on a topic (a refused webhook, a polled report): where they came from. */
    public static final String SOURCE = "dt.error.source";

    private DeadRecordHeaders() {
    }
}
