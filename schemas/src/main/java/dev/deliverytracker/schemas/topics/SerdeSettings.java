package dev.deliverytracker.schemas.topics;

import dev.deliverytracker.schemas.registry.SchemaRegistryClient;

/**
 * What a topic's Avro serdes need: the registry, and whether schemas may be registered on first use (development)
 * or must already be there (production).
 */
public record SerdeSettings(SchemaRegistryClient registry, boolean autoRegister) {
}
