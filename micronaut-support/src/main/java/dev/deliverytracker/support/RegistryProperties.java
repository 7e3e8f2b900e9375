package dev.deliverytracker.support;

import dev.deliverytracker.schemas.registry.SchemaRegistryConfig;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where the Schema Registry is ({@code schema.registry.*}; {@code SCHEMA_REGISTRY_URL} in the environment).
 *
 * @param url               one or more base URLs, comma separated; required. {@code mock://<scope>} is the in-process
 *                          registry, for tests and the one-machine mode only: every process would get its own
 * @param basicAuthUserInfo {@code user:password}, from the environment, never from the repository
 * @param bearerToken       a bearer token, from the environment
 * @param autoRegister      register unknown schemas on first use: development only; production registers in deployment
 * @param startupWait       how long a stream application waits at start-up for the registry to answer before it fails
 */
@ConfigurationProperties("schema.registry")
public record RegistryProperties(
        @Nullable String url,
        @Nullable String basicAuthUserInfo,
        @Nullable String bearerToken,
        @Bindable(defaultValue = "5s") Duration connectTimeout,
        @Bindable(defaultValue = "10s") Duration requestTimeout,
        @Bindable(defaultValue = "3") int maxRetries,
        @Bindable(defaultValue = "100ms") Duration retryBackoff,
        @Bindable(defaultValue = "false") boolean autoRegister,
        @Bindable(defaultValue = "2m") Duration startupWait) {

    public SchemaRegistryConfig toConfig() {
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("SCHEMA_REGISTRY_URL (schema.registry.url) is not set: point every service at the"
                    + " Schema Registry the pipeline shares (for example http://schema-registry:8081). mock://<scope> is an"
                    + " in-process registry for tests and the one-machine mode only: in separate processes, status-stream"
                    + " could not read what send-service wrote.");
        }
        return new SchemaRegistryConfig(
                Arrays.stream(url.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                Optional.ofNullable(basicAuthUserInfo).filter(s -> !s.isBlank()),
                Optional.ofNullable(bearerToken).filter(s -> !s.isBlank()),
                connectTimeout, requestTimeout, maxRetries, retryBackoff);
    }
}
