package dev.deliverytracker.schemas.registry;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API that delivery-tracker uses. Implemented over HTTP
 * ({@link HttpSchemaRegistryClient}, usually wrapped in a {@link CachingSchemaRegistryClient}) and in-process
 * ({@link MockSchemaRegistry}, for {@code mock://} URLs). Every failure is a {@link SchemaRegistryException}.
 */
public interface SchemaRegistryClient {

    /** Registers {@code schema} under {@code subject} (or finds it already there) and returns its global id. */
    int register(String subject, Schema schema);

    /** The id of {@code schema} registered under {@code subject}; fails with SUBJECT_NOT_FOUND or SCHEMA_NOT_FOUND. */
    int idOf(String subject, Schema schema);

    /** The schema with this global id; fails with SCHEMA_NOT_FOUND. */
    Schema schemaById(int id);

    /** The latest version registered under {@code subject}; fails with SUBJECT_NOT_FOUND. */
    RegisteredSchema latest(String subject);

    /** Whether {@code schema} may be registered under {@code subject} given the subject's compatibility level. */
    boolean isCompatible(String subject, Schema schema);

    /** The compatibility level that applies to {@code subject}: its own, or the global default. */
    CompatibilityLevel compatibility(String subject);

    /** Sets the compatibility level of {@code subject}. */
    void setCompatibility(String subject, CompatibilityLevel level);

    /** Where this client talks to, for error messages (a URL, or {@code mock://scope}). */
    String location();
}
