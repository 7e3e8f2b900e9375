package dev.deliverytracker.schemas.registry;

/**
 * A Schema Registry call that failed, with the registry's error code and a message that says what to do about it.
 */
public class SchemaRegistryException extends RuntimeException {

    /** What went wrong, independent of the transport. */
    public enum Reason {
        SUBJECT_NOT_FOUND(40401),
        VERSION_NOT_FOUND(40402),
        SCHEMA_NOT_FOUND(40403),
        INCOMPATIBLE(409),
        INVALID_SCHEMA(42201),
        UNAUTHORIZED(401),
        UNAVAILABLE(50001),
        OTHER(-1);

        private final int errorCode;

        Reason(int errorCode) {
            this.errorCode = errorCode;
        }

        /** The registry's {@code error_code} for this reason (-1: none in particular). */
        public int errorCode() {
            return errorCode;
        }

        /** Maps an HTTP status and the registry's {@code error_code} to a reason. */
        public static Reason of(int httpStatus, int errorCode) {
            switch (errorCode) {
                case 40401: return SUBJECT_NOT_FOUND;
                case 40402: return VERSION_NOT_FOUND;
                case 40403: return SCHEMA_NOT_FOUND;
                case 409: return INCOMPATIBLE;
                case 42201: return INVALID_SCHEMA;
                default: break;
            }
            if (httpStatus == 409) {
                return INCOMPATIBLE;
            }
            if (httpStatus == 401 || httpStatus == 403) {
                return UNAUTHORIZED;
            }
            if (httpStatus >= 500) {
                return UNAVAILABLE;
            }
            return OTHER;
        }
    }

    private final Reason reason;
    private final int errorCode;

    public SchemaRegistryException(Reason reason, int errorCode, String message) {
        this(reason, errorCode, message, null);
    }

    public SchemaRegistryException(Reason reason, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.errorCode = errorCode;
    }

    public Reason reason() {
        return reason;
    }

    /** The registry's {@code error_code} (40401, 40403, 409, 42201, 50001, ...), or the HTTP status without one. */
    public int errorCode() {
        return errorCode;
    }

    /**
     * Builds the exception for a failed call, with advice for the operator.
     *
     * @param location   the registry URL (or mock scope)
     * @param what       the operation, naming the subject or id ("register subject 'x-value'")
     * @param detail     the registry's own message
     */
    public static SchemaRegistryException of(Reason reason, int errorCode, String location, String what, String detail) {
        return new SchemaRegistryException(reason, errorCode,
                "Schema Registry at " + location + " could not " + what + ": " + detail + " (error " + errorCode + "). "
                        + advice(reason), null);
    }

    static String advice(Reason reason) {
        switch (reason) {
            case SUBJECT_NOT_FOUND:
                return "The subject does not exist: register the schema first (set auto.register.schemas=true for development,"
                        + " or register it in your deployment), and check that the topic name is right.";
            case SCHEMA_NOT_FOUND:
                return "The registry does not hold this schema: it was never registered here or was deleted. Register it,"
                        + " or point schema.registry.url at the registry the producer used.";
            case VERSION_NOT_FOUND:
                return "The subject has no such version.";
            case INCOMPATIBLE:
                return "The schema breaks the subject's compatibility rule: give every new field a default, and do not"
                        + " remove or retype fields without defaults. Check it with the compatibility endpoint before deploying.";
            case INVALID_SCHEMA:
                return "The registry cannot parse the schema: check it is valid Avro.";
            case UNAUTHORIZED:
                return "Check basic.auth.user.info or bearer.auth.token.";
            case UNAVAILABLE:
                return "The registry is down or failing: retried already; cached schemas keep working, new ones cannot"
                        + " be resolved until it is back.";
            default:
                return "";
        }
    }
}
