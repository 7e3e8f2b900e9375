package dev.deliverytracker.schemas.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

import java.util.List;

/**
 * Schema Registry compatibility levels and what they check. BACKWARD (the registry's default): a consumer using
 * the new schema can read data written with the old one.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /**
     * Whether {@code candidate} may follow {@code existing} (oldest first) under this level: non-transitive levels
     * compare with the latest version only, transitive ones with every version.
     */
    public boolean allows(Schema candidate, List<Schema> existing) {
        if (existing.isEmpty() || this == NONE) {
            return true;
        }
        List<Schema> against = transitive ? existing : List.of(existing.get(existing.size() - 1));
        for (Schema previous : against) {
            if (backward && !canRead(candidate, previous)) {
                return false;
            }
            if (forward && !canRead(previous, candidate)) {
                return false;
            }
        }
        return true;
    }

    /** True when data written with {@code writer} can be read with {@code reader}. */
    public static boolean canRead(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    public static CompatibilityLevel parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown compatibility level '" + value + "'; expected one of "
                    + java.util.Arrays.toString(values()), e);
        }
    }
}
