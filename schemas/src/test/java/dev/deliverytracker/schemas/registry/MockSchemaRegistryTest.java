package dev.deliverytracker.schemas.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MockSchemaRegistryTest {

    private static final Schema A1 = SchemaBuilder.record("A").fields().requiredString("id").endRecord();
    private static final Schema A2 = SchemaBuilder.record("A").fields().requiredString("id")
            .name("n").type().intType().intDefault(0).endRecord();
    private static final Schema A3_NO_DEFAULT = SchemaBuilder.record("A").fields().requiredString("id")
            .requiredInt("n").requiredInt("m").endRecord();

    @Test
    void idsAreGlobalAndVersionsPerSubjectLikeTheRealRegistry() {
        MockSchemaRegistry registry = new MockSchemaRegistry("t");
        int a1 = registry.register("x-value", A1);
        assertThat(a1).isEqualTo(1);
        assertThat(registry.register("x-value", A1)).isEqualTo(a1);
        assertThat(registry.register("y-value", A1)).isEqualTo(a1); // same schema, same id, another subject
        int a2 = registry.register("x-value", A2);
        assertThat(a2).isEqualTo(2);
        assertThat(registry.latest("x-value").version()).isEqualTo(2);
        assertThat(registry.latest("y-value").version()).isEqualTo(1);
        assertThat(registry.schemaById(a2)).isEqualTo(A2);
        assertThat(registry.idOf("x-value", A1)).isEqualTo(a1);
    }

    @Test
    void registrationIsCheckedAgainstTheSubjectsCompatibility() {
        MockSchemaRegistry registry = new MockSchemaRegistry("t");
        registry.register("x-value", A1);
        assertThat(registry.isCompatible("x-value", A3_NO_DEFAULT)).isFalse();
        assertThatThrownBy(() -> registry.register("x-value", A3_NO_DEFAULT))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.reason()).isEqualTo(SchemaRegistryException.Reason.INCOMPATIBLE));
        registry.setCompatibility("x-value", CompatibilityLevel.NONE);
        assertThat(registry.register("x-value", A3_NO_DEFAULT)).isPositive();
    }

    @Test
    void unknownSubjectsAndIdsFailWithTheirCodes() {
        MockSchemaRegistry registry = new MockSchemaRegistry("t");
        assertThatThrownBy(() -> registry.latest("nope"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
        assertThatThrownBy(() -> registry.schemaById(7))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
    }

    @Test
    void scopesAreSharedByNameAndCanBeDropped() {
        MockSchemaRegistry first = MockSchemaRegistry.scope("shared-test");
        assertThat(MockSchemaRegistry.scope(MockSchemaRegistry.scopeOf("mock://shared-test"))).isSameAs(first);
        assertThat(SchemaRegistryClients.create(SchemaRegistryConfig.of("mock://shared-test"))).isSameAs(first);
        MockSchemaRegistry.dropScope("shared-test");
        assertThat(MockSchemaRegistry.scope("shared-test")).isNotSameAs(first);
    }

    @Test
    void transitiveLevelsCheckEveryVersion() {
        Schema b1 = SchemaBuilder.record("B").fields().requiredString("id").name("x").type().intType().intDefault(1).endRecord();
        Schema b2 = SchemaBuilder.record("B").fields().requiredString("id").endRecord();
        Schema b3 = SchemaBuilder.record("B").fields().requiredString("id").requiredInt("x").endRecord();
        // b3 reads b2 data? No: x has no default. Reads b1 data: yes.
        assertThat(CompatibilityLevel.BACKWARD.allows(b3, java.util.List.of(b1, b2))).isFalse();
        assertThat(CompatibilityLevel.BACKWARD.allows(b2, java.util.List.of(b1))).isTrue();
        assertThat(CompatibilityLevel.FORWARD.allows(b3, java.util.List.of(b2))).isTrue();
        assertThat(CompatibilityLevel.FULL.allows(b3, java.util.List.of(b2))).isFalse();
        assertThat(CompatibilityLevel.BACKWARD_TRANSITIVE.allows(b2, java.util.List.of(b3, b1))).isTrue();
    }
}
