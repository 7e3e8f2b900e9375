package dev.deliverytracker.schemas;

import dev.deliverytracker.events.DeliveryAlert;
import dev.deliverytracker.events.DeliveryStatus;
import dev.deliverytracker.events.ProviderReport;
import dev.deliverytracker.events.SendEvent;
import dev.deliverytracker.schemas.registry.CompatibilityLevel;
import dev.deliverytracker.schemas.serde.SchemaHistory;
import dev.deliverytracker.state.TrackedDelivery;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event schemas, and status-stream's stored state, evolve BACKWARD-compatibly: every committed version of each
 * schema lives in {@code schema-history/<full name>/v<N>.avsc} (test resources for the events; main resources for the
 * state, which {@code SingleObjectSerde} reads old values with), and the current schema must read data written
 * with every one of them (BACKWARD_TRANSITIVE, stricter than the registry's default). The newest snapshot must
 * equal the current schema, so a change to a schema is committed together with its new snapshot (copy the
 * current schema, as {@code Schema#toString(true)} prints it, to v(N+1).avsc).
 */
class SchemaEvolutionTest {

    static Stream<Schema> eventSchemas() {
        return Stream.of(SendEvent.getClassSchema(), ProviderReport.getClassSchema(), DeliveryStatus.getClassSchema(),
                DeliveryAlert.getClassSchema(), TrackedDelivery.getClassSchema());
    }

    @ParameterizedTest
    @MethodSource("eventSchemas")
    void currentSchemaReadsEveryCommittedVersion(Schema current) throws IOException {
        List<Schema> history = history(current.getFullName());
        assertThat(history).as("no committed snapshot of %s: add schema-history/%s/v1.avsc", current.getFullName(), current.getFullName())
                .isNotEmpty();
        for (int i = 0; i < history.size(); i++) {
            assertThat(CompatibilityLevel.canRead(current, history.get(i)))
                    .as("%s cannot read data written with v%d: give new fields defaults", current.getFullName(), i + 1)
                    .isTrue();
        }
        assertThat(CompatibilityLevel.BACKWARD_TRANSITIVE.allows(current, history)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("eventSchemas")
    void newestSnapshotIsTheCurrentSchema(Schema current) throws IOException {
        List<Schema> history = history(current.getFullName());
        assertThat(history.get(history.size() - 1))
                .as("%s changed: commit its new version as schema-history/%s/v%d.avsc",
                        current.getFullName(), current.getFullName(), history.size() + 1)
                .isEqualTo(current);
    }

    @Test
    void theCheckCatchesABreakingChange() throws IOException {
        Schema v1 = history(SendEvent.getClassSchema().getFullName()).get(0);
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record("SendEvent").namespace("dev.deliverytracker.events").fields();
        for (Schema.Field f : v1.getFields()) {
            fields = fields.name(f.name()).type(f.schema()).noDefault();
        }
        Schema withRequiredField = fields.requiredString("addedWithoutDefault").endRecord();
        assertThat(CompatibilityLevel.BACKWARD_TRANSITIVE.allows(withRequiredField, List.of(v1))).isFalse();
    }

    @Test
    void everyFieldIsDocumented() {
        eventSchemas().forEach(schema -> assertDocumented(schema, new ArrayList<>()));
    }

    private static void assertDocumented(Schema schema, List<String> seen) {
        if (schema.getType() != Schema.Type.RECORD || seen.contains(schema.getFullName())) {
            return;
        }
        seen.add(schema.getFullName());
        assertThat(schema.getDoc()).as("doc of %s", schema.getFullName()).isNotBlank();
        for (Schema.Field field : schema.getFields()) {
            assertThat(field.doc()).as("doc of %s.%s", schema.getFullName(), field.name()).isNotBlank();
            Schema type = field.schema();
            List<Schema> inner = type.getType() == Schema.Type.UNION ? type.getTypes()
                    : type.getType() == Schema.Type.ARRAY ? List.of(type.getElementType()) : List.of(type);
            inner.forEach(s -> assertDocumented(s, seen));
        }
    }

    static List<Schema> history(String fullName) {
        return SchemaHistory.of(fullName);
    }
}
