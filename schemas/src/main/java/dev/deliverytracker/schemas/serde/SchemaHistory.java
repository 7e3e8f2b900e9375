package dev.deliverytracker.schemas.serde;

import org.apache.avro.Schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The committed versions of a schema, oldest first, from the classpath:
 * {@code schema-history/<full name>/v1.avsc}, {@code v2.avsc}, ... The newest must equal the current schema
 * ({@code SchemaEvolutionTest} checks that, and that the current schema reads every version). State stores read
 * values written with any of them ({@link SingleObjectSerde}); the events' histories are test resources, guarding
 * the registry's compatibility.
 */
public final class SchemaHistory {

    private SchemaHistory() {
    }

    /** Every committed version of {@code fullName}; empty when none is on the classpath. */
    public static List<Schema> of(String fullName) {
        List<Schema> versions = new ArrayList<>();
        for (int v = 1; ; v++) {
            String path = "/schema-history/" + fullName + "/v" + v + ".avsc";
            try (InputStream in = SchemaHistory.class.getResourceAsStream(path)) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
        }
    }
}
