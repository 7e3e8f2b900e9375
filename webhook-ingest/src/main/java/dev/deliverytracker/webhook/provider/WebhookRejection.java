package dev.deliverytracker.webhook.provider;

/**
 * Why a webhook call is refused, and what it is answered. The message is for the log and the problem body: it
 * never contains the request body (which carries phone numbers).
 */
public final class WebhookRejection extends RuntimeException {

    /** Each reason with its HTTP status and its metric tag. */
    public enum Reason {
        UNKNOWN_ROUTE(404, "unknown_route"),
        DISALLOWED_SOURCE(403, "disallowed_source"),
        BAD_SIGNATURE(401, "bad_signature"),
        STALE_TIMESTAMP(401, "stale_timestamp"),
        /**
         * A signature already used with another body: a forged report under a captured signature. 503, not 401: if it
         * is ever the provider sending two reports within one signed millisecond, it re-sends, and nothing is lost.
         */
        REPLAYED_SIGNATURE(503, "replayed_signature"),
        UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
        TOO_LARGE(413, "too_large"),
        MALFORMED(400, "malformed"),
        MISSING_FIELD(400, "missing_field");

        private final int status;
        private final String tag;

        Reason(int status, String tag) {
            this.status = status;
            this.tag = tag;
        }

        public int status() {
            return status;
        }

        public String tag() {
            return tag;
        }
    }

    private final Reason reason;

    public WebhookRejection(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
