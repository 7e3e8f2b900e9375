package dev.deliverytracker.schemas.registry;

import java.util.Map;

/** Builds the right client for a configuration: in-process for {@code mock://}, cached HTTP otherwise. */
public final class SchemaRegistryClients {

    private SchemaRegistryClients() {
    }

    public static SchemaRegistryClient create(SchemaRegistryConfig config) {
        if (config.isMock()) {
            return MockSchemaRegistry.scope(MockSchemaRegistry.scopeOf(config.urls().get(0)));
        }
        return new CachingSchemaRegistryClient(new HttpSchemaRegistryClient(config));
    }

    public static SchemaRegistryClient fromMap(Map<String, ?> configs) {
        return create(SchemaRegistryConfig.fromMap(configs));
    }
}
